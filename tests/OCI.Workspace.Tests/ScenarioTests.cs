using System.Diagnostics;
using OCI.Workspace.Feedback;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class CompileErrorWorkspaceTests(CompileErrorFixture fixture) : IClassFixture<CompileErrorFixture>
{
    private string Calculator => fixture.Copy.PathOf("Calc/Calculator.cs");

    [Fact]
    public async Task The_existing_error_is_not_the_candidates_fault_even_when_lines_move()
    {
        var text = File.ReadAllText(Calculator);
        var shifted = text.Replace("public static class Calculator\n{", "public static class Calculator\n{\n    // a comment\n    private const int Unused = 0;\n", StringComparison.Ordinal);
        Assert.NotEqual(text, shifted);
        var result = await fixture.Host.CompileAsync([new FileChange(Calculator, shifted)], CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, result.Status);
        var existing = Assert.Single(result.Diagnostics);
        Assert.False(existing.IsNew);
        Assert.Equal("CS0103", existing.Id);
        Assert.Equal(10, existing.Line);
    }

    [Fact]
    public async Task A_second_error_is_new_and_the_old_one_is_not()
    {
        var text = File.ReadAllText(Calculator);
        var worse = text.Replace("return a + c;", "var x = undefinedThing;\n        return a + c;", StringComparison.Ordinal);
        var result = await fixture.Host.CompileAsync([new FileChange(Calculator, worse)], CancellationToken.None);
        Assert.Equal(VerificationStatus.CompileErrors, result.Status);
        Assert.Equal(1, result.NewErrorCount);
        Assert.Contains(result.Diagnostics, d => d.IsNew && d.Message.Contains("undefinedThing", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => !d.IsNew && d.Message.Contains("'c'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_stops_at_the_compile_error_a_candidate_introduces()
    {
        var text = File.ReadAllText(Calculator).Replace("return a + c;", "return a + b + d;", StringComparison.Ordinal);
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, text)]), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.CompileErrors, result.Status);
        Assert.Equal(TimeSpan.Zero, result.BuildTime);
        Assert.Contains("error CS0103", FeedbackRenderer.Render(result, 2000, fixture.Copy.Root), StringComparison.Ordinal);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class FailingTestWorkspaceTests(FailingTestFixture fixture) : IClassFixture<FailingTestFixture>
{
    [Fact]
    public async Task Failing_test_is_reported_with_message_location_and_rendered_feedback()
    {
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
        Assert.Equal(1, result.PassedTests);
        var failure = Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed);
        Assert.Equal("Calc.Tests.CalculatorTests.Add_ReturnsSum", failure.Name);
        Assert.Contains("Expected: 5", failure.Message, StringComparison.Ordinal);
        Assert.Equal(fixture.Copy.PathOf("Calc.Tests/CalculatorTests.cs"), failure.Path);
        Assert.Equal(12, failure.Line);

        var feedback = FeedbackRenderer.Render(result, 4000, fixture.Copy.Root);
        Assert.StartsWith("Execution result: tests failed: 1 passed, 1 failed\nFAILED Calc.Tests.CalculatorTests.Add_ReturnsSum\n", feedback, StringComparison.Ordinal);
        Assert.Contains("  at Calc.Tests/CalculatorTests.cs:12", feedback, StringComparison.Ordinal);

        // Fixing the library makes the same tests pass.
        var calculator = fixture.Copy.PathOf("Calc/Calculator.cs");
        var fixedText = File.ReadAllText(calculator).Replace("a - b", "a + b", StringComparison.Ordinal);
        var fixedResult = await fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(calculator, fixedText)]), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, fixedResult.Status);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }

    [Fact]
    public async Task A_filter_runs_the_relevant_tests_first()
    {
        var progress = new List<string>();
        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([], TestFilter: "FullyQualifiedName~Add_Zero"), new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.Equal((1, 0), result.TestRuns.Where(r => r.Filtered).Select(r => (r.Passed, r.Failed)).Single());
        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class HangingTestWorkspaceTests(HangingTestFixture fixture) : IClassFixture<HangingTestFixture>
{
    [Fact]
    public async Task A_hanging_test_is_stopped_within_its_timeout()
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        stopwatch.Stop();
        Assert.Equal(VerificationStatus.TimedOut, result.Status);
        Assert.True(result.TestTime <= TimeSpan.FromSeconds(HangingTestFixture.TimeoutSeconds + 5), $"test run took {result.TestTime}");
        Assert.StartsWith("Execution result: timed out", FeedbackRenderer.Render(result, 2000), StringComparison.Ordinal);
        Assert.Contains("still running when stopped: Calc.Tests.CalculatorTests.Add_ReturnsSum", result.Message, StringComparison.Ordinal);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class DestructiveTestWorkspaceTests(DestructiveFixture fixture) : IClassFixture<DestructiveFixture>
{
    [Fact]
    public async Task A_test_that_deletes_files_and_writes_outside_its_folder_leaves_the_user_tree_byte_identical()
    {
        var first = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        Assert.True(first.Status == VerificationStatus.Passed, FeedbackRenderer.Render(first, 4000));
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
        Assert.False(File.Exists(Path.Combine(fixture.Copy.Container, "vandal.txt")));

        // The vandal deleted the sources in the shadow copy; the next round repairs it and builds again.
        var second = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        Assert.True(second.Status == VerificationStatus.Passed, FeedbackRenderer.Render(second, 4000));
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class BrokenProjectWorkspaceTests(BrokenProjectFixture fixture) : IClassFixture<BrokenProjectFixture>
{
    [Fact]
    public async Task A_broken_project_is_a_clear_problem_and_the_rest_still_works()
    {
        var report = fixture.Host.LoadReport;
        var described = string.Join("\n", report.Problems.Concat(report.LoadedProjects));
        Assert.True(!report.LoadedProjects.Any(p => p.EndsWith("Broken.csproj", StringComparison.Ordinal)), described);
        Assert.Contains(report.Problems, p => p.Contains("Broken.csproj", StringComparison.Ordinal));
        Assert.Contains(report.LoadedProjects, p => p.EndsWith("Good.csproj", StringComparison.Ordinal));
        Assert.DoesNotContain(report.LoadedProjects, p => p.EndsWith("Broken.csproj", StringComparison.Ordinal));

        var greeter = fixture.Copy.PathOf("Good/Greeter.cs");
        var bad = File.ReadAllText(greeter).Replace("\"Hello, \" + name", "\"Hello, \" + nme", StringComparison.Ordinal);
        var result = await fixture.Host.CompileAsync([new FileChange(greeter, bad)], CancellationToken.None);
        Assert.Equal(VerificationStatus.CompileErrors, result.Status);
        Assert.Equal("CS0103", Assert.Single(result.Diagnostics).Id);
    }
}
