using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Feedback;
using OCI.Workspace.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// One solution under a Microsoft.Testing.Platform global.json with a test project per framework (xunit.v3, NUnit with
/// EnableNUnitRunner, MSTest with EnableMSTestRunner, TUnit), each with a failing, a passing and a skipped test of a
/// library whose Add subtracts: every test application runs itself, and says what <c>dotnet test</c> says.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class MtpWorkspaceTests(MtpFailingFixture fixture) : IClassFixture<MtpFailingFixture>
{
    private static readonly (string Project, TestFramework Framework, int FailingLine)[] Projects =
    [
        ("Xunit3.Tests", TestFramework.XunitV3, 11),
        ("NUnit.Tests", TestFramework.NUnit, 11),
        ("MSTest.Tests", TestFramework.MSTest, 12),
        ("TUnit.Tests", TestFramework.TUnit, 10),
    ];

    private string Calculator => fixture.Copy.PathOf("Calc/Calculator.cs");

    private FileChange CalculatorReturning(string expression) =>
        new(Calculator, File.ReadAllText(Calculator).Replace("return a - b;", $"return {expression};", StringComparison.Ordinal));

    [Fact]
    public async Task A_wrong_candidate_fails_on_every_framework_with_its_real_assertion_and_a_fixing_one_passes()
    {
        var progress = new List<string>();
        var wrong = await fixture.Host.VerifyAsync(new VerificationRequest([CalculatorReturning("a * b")]), new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.True(wrong.Status == VerificationStatus.TestsFailed, FeedbackRenderer.Render(wrong, 8000) + "\n" + string.Join("\n", progress));
        Assert.True(wrong.TestRuns.Any(r => r is { Runner: TestRunners.TestApplication, Passed: 4, Failed: 4, Skipped: 4 }), FeedbackRenderer.Render(wrong, 8000) + "\n" + string.Join("\n", progress));
        var feedback = FeedbackRenderer.Render(wrong, 8000, fixture.Copy.Root);
        foreach (var (project, _, line) in Projects)
        {
            var name = $"{project}.CalculatorTests.Add_ReturnsSum";
            var failure = Assert.Single(wrong.Tests, t => t.Name == name);
            Assert.Equal(TestOutcome.Failed, failure.Outcome);
            Assert.Contains("5", failure.Message, StringComparison.Ordinal);
            Assert.Contains("6", failure.Message, StringComparison.Ordinal); // 2 * 3: the framework's own expected/actual
            Assert.Equal((fixture.Copy.PathOf($"{project}/CalculatorTests.cs"), line), (failure.Path, failure.Line));
            Assert.Contains($"FAILED {name}", feedback, StringComparison.Ordinal);
        }

        progress.Clear();
        var fixedResult = await fixture.Host.VerifyAsync(
            new VerificationRequest([CalculatorReturning("a + b")], TestFilter: "FullyQualifiedName~CalculatorTests.Add_ReturnsSum"),
            new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.True(fixedResult.Status == VerificationStatus.Passed, FeedbackRenderer.Render(fixedResult, 8000) + "\n" + string.Join("\n", progress));
        Assert.Equal(8, fixedResult.PassedTests);
        Assert.Contains(fixedResult.TestRuns, r => r is { Runner: TestRunners.TestApplication, Filtered: false, Passed: 8, Failed: 0, Skipped: 4 });
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }

    [Fact]
    public async Task Each_test_application_agrees_with_dotnet_test_test_by_test_and_its_filter_selects_one_test()
    {
        using var copy = WorkspaceCopy.OfFixture("MtpFailing");
        await RunnerComparison.BuildAsync(copy.Root, "MtpFailing.slnx");
        using var runner = new TestRoundRunner(copy.Root, PlainScope.For(copy.Root), useWarmHost: true, NullLogger.Instance);
        var resultsRoot = Path.Combine(copy.Root, "oci-results");
        var round = 0;
        string Fresh() => Path.Combine(resultsRoot, (++round).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (project, framework, _) in Projects)
        {
            var assembly = RunnerComparison.AssemblyOf(copy.Root, project);
            var kind = TestApplicationKind.Detect(assembly, copy.Root);
            Assert.True(kind.MicrosoftTestingPlatform && kind.Framework == framework, $"{project}: {kind}");

            var ours = await runner.RunAsync([assembly], copy.Root, Fresh, null, RunnerComparison.Timeout, p => p, CancellationToken.None);
            Assert.Equal(TestRunners.TestApplication, ours.Runner);
            Assert.False(ours.Crashed || ours.TimedOut, ours.Output);
            var reference = await MtpReports.DotnetTestAsync(copy.Root, $"{project}/{project}.csproj", framework, Fresh());
            var verdicts = RunnerComparison.Verdicts(ours);
            RunnerComparison.AssertAgree(verdicts, reference.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Last().Outcome, StringComparer.Ordinal));

            // Without the warm host (its server-mode client runs once per application instead): the same verdicts.
            using (var cold = new TestRoundRunner(copy.Root, PlainScope.For(copy.Root), useWarmHost: false, NullLogger.Instance))
            {
                var oneShot = await cold.RunAsync([assembly], copy.Root, Fresh, null, RunnerComparison.Timeout, p => p, CancellationToken.None);
                Assert.False(oneShot.Crashed || oneShot.TimedOut, oneShot.Output);
                Assert.Equal(verdicts, RunnerComparison.Verdicts(oneShot));
            }
            Assert.Equal([TestOutcome.Passed, TestOutcome.Failed, TestOutcome.Skipped], verdicts.Values.Order());

            var filtered = await runner.RunAsync([assembly], copy.Root, Fresh, $"FullyQualifiedName~{project}.CalculatorTests.Add_ReturnsSum", RunnerComparison.Timeout, p => p, CancellationToken.None);
            var only = Assert.Single(filtered.Results);
            Assert.Equal(($"{project}.CalculatorTests.Add_ReturnsSum", TestOutcome.Failed), (only.Name, only.Outcome));
            Assert.False(filtered.Crashed, filtered.Output);

            // A class's name selects its tests on every framework (TUnit's tree-node filter selected none before).
            var byClass = await runner.RunAsync([assembly], copy.Root, Fresh, $"FullyQualifiedName~{project}.CalculatorTests", RunnerComparison.Timeout, p => p, CancellationToken.None);
            Assert.Equal(verdicts, RunnerComparison.Verdicts(byClass));

            // A filter that selects nothing here (exit code 8) is an ordinary round, not a crash.
            var none = await runner.RunAsync([assembly], copy.Root, Fresh, "FullyQualifiedName~Elsewhere.NoSuchTest", RunnerComparison.Timeout, p => p, CancellationToken.None);
            Assert.Empty(none.Results);
            Assert.False(none.Crashed, $"{project}: {none.ExitCode}\n{string.Join("\n", none.RunMessages)}\n{none.Output}");
        }
    }

    [Fact]
    public async Task A_hanging_test_is_stopped_and_named_and_the_tests_that_finished_keep_their_results()
    {
        using var copy = WorkspaceCopy.OfFixture("MtpFailing");
        foreach (var (project, body) in new[]
        {
            ("MSTest.Tests", "[Microsoft.VisualStudio.TestTools.UnitTesting.TestClass] public class HangTests { [Microsoft.VisualStudio.TestTools.UnitTesting.TestMethod] public void Hangs() => System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }"),
            ("NUnit.Tests", "public class HangTests { [NUnit.Framework.Test] public void Hangs() => System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }"),
        })
        {
            File.WriteAllText(copy.PathOf($"{project}/HangTests.cs"), $"namespace {project};\n{body}\n");
        }
        await RunnerComparison.BuildAsync(copy.Root, "MtpFailing.slnx");
        using var runner = new TestRoundRunner(copy.Root, PlainScope.For(copy.Root), useWarmHost: true, NullLogger.Instance);
        var round = 0;
        string Fresh() => Path.Combine(copy.Root, "oci-results", (++round).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var project in new[] { "MSTest.Tests", "NUnit.Tests" })
        {
            var assembly = RunnerComparison.AssemblyOf(copy.Root, project);
            var filter = $"FullyQualifiedName~{project}.CalculatorTests.Add_ReturnsSum|FullyQualifiedName~{project}.HangTests.Hangs";
            // Long enough for the application to start on a busy machine; the hang never ends, so it always fires.
            var outcome = await runner.RunAsync([assembly], copy.Root, Fresh, filter, TimeSpan.FromSeconds(40), p => p, CancellationToken.None);
            Assert.True(outcome.TimedOut, $"{project}: {outcome.ExitCode}\n{string.Join("\n", outcome.RunMessages)}\n{outcome.Output}");
            Assert.Contains(outcome.RunMessages, m => m.Contains($"{project}.HangTests.Hangs", StringComparison.Ordinal) && !m.Contains("Add_ReturnsSum", StringComparison.Ordinal));
            Assert.DoesNotContain(outcome.Results, r => r.Name.Contains("Hangs", StringComparison.Ordinal) && r.Outcome == TestOutcome.Passed);
        }
    }
}
