using OCI.Workspace.Feedback;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>What the model is told about how a test run ended: each kind of ending says what happened.</summary>
public sealed class TestRunReportTests
{
    private static TestRunOutcome Outcome(
        IReadOnlyList<TestCaseResult>? results = null, bool timedOut = false, bool crashed = false, int? exitCode = 0,
        IReadOnlyList<string>? messages = null, string output = "") =>
        new(results ?? [], timedOut, crashed, exitCode, messages ?? [], output, TimeSpan.FromSeconds(1));

    private static string Feedback(TestRunOutcome outcome, int timeoutSeconds = 30)
    {
        var (status, message) = TestRunReport.Describe(outcome, timeoutSeconds);
        return FeedbackRenderer.Render(new VerificationResult(status, [], outcome.Results, message, outcome.Output), 4000);
    }

    [Fact]
    public void A_timeout_names_the_test_that_was_running_and_does_not_guess()
    {
        var text = Feedback(Outcome(timedOut: true, exitCode: null, messages: ["still running when stopped: Calc.Tests.CalculatorTests.Add_Loops"]), 8);
        Assert.StartsWith("Execution result: timed out\nthe test run did not finish within 8 s and was stopped\nstill running when stopped: Calc.Tests.CalculatorTests.Add_Loops", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deadlock", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flood_says_how_much_was_written_and_is_not_called_a_timeout()
    {
        var text = Feedback(Outcome(exitCode: null) with { OutputFloodCharacters = 40L * 1024 * 1024 });
        Assert.StartsWith("Execution result: the test run ended abnormally\nthe tests wrote too much output (40 M characters so far, more than the 32 M characters limit) and were stopped", text, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_gives_the_exit_code_and_the_end_of_the_output()
    {
        var text = Feedback(Outcome(crashed: true, exitCode: 134, output: "Stack overflow.\n   at Calc.Calculator.Add(Int32, Int32)\n"));
        Assert.StartsWith("Execution result: the test run ended abnormally\nthe test host crashed (exit code 134); the end of its output follows\noutput:\n  Stack overflow.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_sandbox_denied_is_named_only_for_sandboxed_runs()
    {
        var failed = new TestCaseResult("Calc.Tests.CalculatorTests.Add_ReturnsSum", TestOutcome.Failed, "System.IO.IOException : Read-only file system : '/home/me/x'");
        var sandboxed = TestRunReport.Describe(Outcome([failed]) with { Sandboxed = true }, 30);
        Assert.Equal(VerificationStatus.TestsFailed, sandboxed.Status);
        Assert.Contains("the sandbox denied: writing outside the shadow copy", sandboxed.Message, StringComparison.Ordinal);
        Assert.Null(TestRunReport.Describe(Outcome([failed]), 30).Message);
    }

    [Fact]
    public void Processes_a_passing_round_left_are_a_note()
    {
        var passed = new TestCaseResult("Calc.Tests.CalculatorTests.Add_ReturnsSum", TestOutcome.Passed);
        var (status, message) = TestRunReport.Describe(Outcome([passed]) with { Survivors = ["4242 sleep 600"] }, 30);
        Assert.Equal(VerificationStatus.Passed, status);
        Assert.Equal("the tests left 1 process(es) running, killed after the round: 4242 sleep 600", message);
    }

    [Fact]
    public void The_VSTest_banner_is_not_output()
    {
        var output = "Test run for /s/Calc.Tests.dll (.NETCoreApp,Version=v10.0)\nVSTest version 18.0.0 (x64)\n\nStarting test execution, please wait...\nA total of 1 test files matched the specified pattern.\nboom\n";
        Assert.Equal("\nboom\n", DotnetTestRun.WithoutBanner(output));
    }
}
