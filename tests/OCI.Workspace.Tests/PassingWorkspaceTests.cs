using OCI.Workspace.Feedback;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>A library and its xunit tests that compile and pass: loaded, compiled, built and tested for real.</summary>
public sealed class PassingWorkspaceTests(PassingFixture fixture) : IClassFixture<PassingFixture>
{
    private const string CalculatorPath = "Calc/Calculator.cs";

    private string Calculator => fixture.Copy.PathOf(CalculatorPath);

    private string CalculatorWith(string oldText, string newText)
    {
        var text = File.ReadAllText(Calculator);
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return text.Replace(oldText, newText, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_both_projects_without_problems()
    {
        Assert.Empty(fixture.Host.LoadReport.Problems);
        Assert.Equal(2, fixture.Host.LoadReport.LoadedProjects.Count);
        Assert.Contains(fixture.Host.LoadReport.LoadedProjects, p => p.EndsWith("Calc.Tests.csproj", StringComparison.Ordinal));
        Assert.Contains(fixture.Progress, l => l.StartsWith("loaded 2 project(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compile_of_a_good_edit_passes_and_a_bad_one_reports_the_new_error_with_its_line()
    {
        var good = await fixture.Host.CompileAsync([new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"))], CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, good.Status);
        Assert.Equal(0, good.NewErrorCount);

        var bad = await fixture.Host.CompileAsync([new FileChange(Calculator, CalculatorWith("return a + b;", "return a + missing;"))], CancellationToken.None);
        Assert.Equal(VerificationStatus.CompileErrors, bad.Status);
        var error = Assert.Single(bad.Diagnostics, d => d.IsNew);
        Assert.Equal("CS0103", error.Id);
        Assert.Equal(Calculator, error.Path);
        Assert.Equal(7, error.Line);
        Assert.Equal("        return a + missing;", error.SourceLine);
    }

    [Fact]
    public async Task A_change_that_breaks_a_dependent_project_is_reported_there()
    {
        var renamed = CalculatorWith("public static int Multiply(", "public static int Times(");
        var result = await fixture.Host.CompileAsync([new FileChange(Calculator, renamed)], CancellationToken.None);
        Assert.Equal(VerificationStatus.CompileErrors, result.Status);
        var error = Assert.Single(result.Diagnostics, d => d.IsNew);
        Assert.Equal("CS0117", error.Id);
        Assert.EndsWith("CalculatorTests.cs", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlays_are_the_baseline_and_never_reach_the_disk()
    {
        var disk = File.ReadAllText(Calculator);
        var overlay = CalculatorWith("return a * b;", "return a * b * 1;");
        fixture.Host.SetOverlay(Calculator, overlay);
        try
        {
            Assert.Equal(overlay, fixture.Host.GetText(Calculator));
            var document = fixture.Host.CurrentSolution.GetDocumentIdsWithFilePath(Calculator).Select(fixture.Host.CurrentSolution.GetDocument).First()!;
            Assert.Equal(overlay, (await document.GetTextAsync()).ToString());
            Assert.Equal(disk, File.ReadAllText(Calculator));
        }
        finally
        {
            fixture.Host.RemoveOverlay(Calculator);
        }
        Assert.Equal(disk, fixture.Host.GetText(Calculator));
    }

    [Fact]
    public async Task Verify_builds_and_runs_the_tests_in_the_shadow_copy_and_leaves_the_user_tree_unchanged()
    {
        var progress = new List<string>();
        var passed = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"))]),
            new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.True(passed.Status == VerificationStatus.Passed, FeedbackRenderer.Render(passed, 4000));
        Assert.Equal(4, passed.PassedTests);
        Assert.Contains("running tests: 4 passed, 0 failed (warm test host)", progress); // xunit v2: the fast path ran
        Assert.True(passed.BuildTime > TimeSpan.Zero && passed.TestTime > TimeSpan.Zero);

        var failing = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return a - b;"))]),
            null, CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, failing.Status);
        var failed = failing.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).ToList();
        Assert.Contains("Calc.Tests.CalculatorTests.Add_ReturnsSum", failed);
        var addFailure = failing.Tests.Single(t => t.Name == "Calc.Tests.CalculatorTests.Add_ReturnsSum");
        Assert.True(addFailure.Path == fixture.Copy.PathOf("Calc.Tests/CalculatorTests.cs") && addFailure.Line == 11, $"{addFailure.Path}:{addFailure.Line}\n{addFailure.StackTrace}");

        // The previous round's candidate is gone from the shadow copy: the unchanged workspace passes again.
        var again = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, again.Status);

        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }
}
