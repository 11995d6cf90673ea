using OCI.Workspace.Feedback;
using OCI.Workspace.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// NUnit and MSTest projects (a library whose Add subtracts, one failing and one passing test) verified for real: the
/// warm test host runs only xunit v2, so these go through <c>dotnet test</c> with TRX, and must report as much as xunit.
/// </summary>
public abstract class OtherFrameworkWorkspaceTests(OpenedFixture fixture, int failingLine)
{
    private const string FailingTest = "Calc.Tests.CalculatorTests.Add_ReturnsSum";

    private string Calculator => fixture.Copy.PathOf("Calc/Calculator.cs");

    private FileChange CalculatorReturning(string expression) =>
        new(Calculator, File.ReadAllText(Calculator).Replace("return a - b;", $"return {expression};", StringComparison.Ordinal));

    [Fact]
    public void Loads_the_test_project_as_a_test_project()
    {
        Assert.Empty(fixture.Host.LoadReport.Problems);
        var tests = Assert.Single(fixture.Host.CurrentSolution.Projects, p => p.Name == "Calc.Tests");
        Assert.True(TestProjectDiscovery.IsTestProject(tests));
    }

    [Fact]
    public async Task A_fixing_candidate_passes_and_a_wrong_one_fails_with_the_assertion_at_the_test_line_via_dotnet_test()
    {
        var progress = new List<string>();
        var fixedResult = await fixture.Host.VerifyAsync(
            new VerificationRequest([CalculatorReturning("a + b")], TestFilter: $"FullyQualifiedName~{FailingTest}"),
            new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.True(fixedResult.Status == VerificationStatus.Passed, FeedbackRenderer.Render(fixedResult, 4000) + "\n" + string.Join("\n", progress));
        Assert.Equal(2, fixedResult.PassedTests);
        Assert.Equal(2, fixedResult.Tests.Count);
        // The filter named one test; the other references the changed Add too, so both run first.
        Assert.Contains(fixedResult.TestRuns, r => r is { Runner: TestRunners.DotnetTest, Filtered: true, Passed: 2, Failed: 0 });
        Assert.Contains(fixedResult.TestRuns, r => r is { Runner: TestRunners.DotnetTest, Filtered: false, Passed: 2, Failed: 0 });

        progress.Clear();
        var wrong = await fixture.Host.VerifyAsync(
            new VerificationRequest([CalculatorReturning("a * b")]), new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, wrong.Status);
        Assert.Equal(1, wrong.PassedTests);
        Assert.Equal(2, wrong.Tests.Count);
        Assert.Contains(wrong.TestRuns, r => r is { Runner: TestRunners.DotnetTest, Passed: 1, Failed: 1 });
        var failure = Assert.Single(wrong.Tests, t => t.Outcome == TestOutcome.Failed);
        Assert.Equal(FailingTest, failure.Name);
        Assert.Contains("5", failure.Message, StringComparison.Ordinal);
        Assert.Contains("6", failure.Message, StringComparison.Ordinal); // 2 * 3: the real assertion, not a summary
        Assert.Equal((fixture.Copy.PathOf("Calc.Tests/CalculatorTests.cs"), failingLine), (failure.Path, failure.Line));

        var feedback = FeedbackRenderer.Render(wrong, 4000, fixture.Copy.Root);
        Assert.Contains($"FAILED {FailingTest}", feedback, StringComparison.Ordinal);
        Assert.Contains($"  at Calc.Tests/CalculatorTests.cs:{failingLine}", feedback, StringComparison.Ordinal);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class NUnitWorkspaceTests(NUnitFailingFixture fixture) : OtherFrameworkWorkspaceTests(fixture, failingLine: 11), IClassFixture<NUnitFailingFixture>;

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class MSTestWorkspaceTests(MSTestFailingFixture fixture) : OtherFrameworkWorkspaceTests(fixture, failingLine: 12), IClassFixture<MSTestFailingFixture>;
