using OCI.Engine.Refine;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>Every user-facing description of a result comes from one place; each kind of result reads as it should.</summary>
public sealed class ResultDescriptionTests
{
    private static CompilerDiagnostic Error(string id, bool isNew = true) =>
        new(id, DiagnosticSeverityLevel.Error, "message", "/ws/A.cs", 1, 1, IsNew: isNew);

    private static TestCaseResult Test(string name, TestOutcome outcome) => new(name, outcome);

    [Fact]
    public void Compile_errors_count_only_new_errors_and_name_their_ids()
    {
        var result = new VerificationResult(VerificationStatus.CompileErrors, [Error("CS0029"), Error("CS0029"), Error("CS0103"), Error("CS1002", isNew: false)], []);
        Assert.Equal("3 errors CS0029, CS0103", ResultDescription.Of(result));
    }

    [Fact]
    public void Passing_and_failing_tests_are_counted()
    {
        Assert.Equal("compiles (no tests ran)", ResultDescription.Of(new VerificationResult(VerificationStatus.Passed, [], [])));
        Assert.Equal("compiles, 2 tests pass", ResultDescription.Of(new VerificationResult(VerificationStatus.Passed, [], [Test("A", TestOutcome.Passed), Test("B", TestOutcome.Passed)])));
        Assert.Equal("compiles, 1 of 2 tests pass (1 failed: B)",
            ResultDescription.Of(new VerificationResult(VerificationStatus.TestsFailed, [], [Test("A", TestOutcome.Passed), Test("B", TestOutcome.Failed)])));
    }

    [Fact]
    public void Timeouts_and_crashes_carry_their_message()
    {
        Assert.Equal("timed out: no result within 10 s", ResultDescription.Of(new VerificationResult(VerificationStatus.TimedOut, [], [], "no result within 10 s")));
        Assert.Equal("crashed", ResultDescription.Of(new VerificationResult(VerificationStatus.Crashed, [], [])));
    }

    [Fact]
    public void The_brief_form_follows_a_fix_title()
    {
        Assert.Equal("builds", ResultDescription.Brief(new VerificationResult(VerificationStatus.Passed, [], [])));
        Assert.Equal("builds, 1/2 tests", ResultDescription.Brief(new VerificationResult(VerificationStatus.Passed, [], [Test("A", TestOutcome.Passed), Test("B", TestOutcome.Skipped)])));
    }
}
