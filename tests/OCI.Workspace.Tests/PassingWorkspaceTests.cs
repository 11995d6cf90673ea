using OCI.Workspace.Feedback;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>A library and its xunit tests that compile and pass: loaded, compiled, built and tested for real.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
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
        Assert.Contains(new TestRunRecord(TestRunners.WarmHost, OnInMemoryBuild: false, Filtered: false, 4, 0, 0), passed.TestRuns); // xunit v2: the warm host ran them
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

    [Fact]
    public async Task A_passing_candidate_is_confirmed_by_one_MSBuild_build_and_one_run_of_all_tests()
    {
        await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None); // the shadow has been built by MSBuild
        var builds = fixture.Host.BuildRuns;
        var testRuns = fixture.Host.TestRuns;
        var progress = new List<string>();

        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"))], TestFilter: "FullyQualifiedName~Add_"),
            new SynchronousProgress(progress.Add), CancellationToken.None);

        Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
        Assert.Equal(4, result.PassedTests);
        Assert.True(result.RealBuild);
        Assert.Equal(1, fixture.Host.BuildRuns - builds);
        // Fast round: the relevant tests, then all; confirming run: all tests once (not the relevant ones again first).
        Assert.Equal(3, fixture.Host.TestRuns - testRuns);
        Assert.Equal(
            [(true, true), (true, false), (false, false)],
            result.TestRuns.Select(r => (r.OnInMemoryBuild, r.Filtered)).ToList());
    }

    [Fact]
    public async Task A_candidate_confirmed_later_is_answered_after_its_impacted_tests_on_the_in_memory_build_and_its_real_build_follows()
    {
        await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None); // the shadow has been built by MSBuild
        var (builds, forks) = (fixture.Host.BuildRuns, fixture.Host.CandidateForks);
        var request = new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return (a + b);"))], TestFilter: "FullyQualifiedName~Add_")
        {
            ConfirmLater = true, AllErrorsInChangedFiles = true,
        };

        var offered = await fixture.Host.VerifyAsync(request, null, CancellationToken.None);

        Assert.True(offered.Status == VerificationStatus.Passed, FeedbackRenderer.Render(offered, 4000));
        Assert.False(offered.RealBuild); // says what it is: the impacted tests on the in-memory build
        Assert.False(offered.WholeSuite);
        Assert.Equal(3, offered.ImpactedTests); // Add_ReturnsSum and Add_Theory's two cases
        Assert.Equal(3, offered.PassedTests);
        Assert.NotNull(offered.PendingConfirmation);
        Assert.Equal(1, fixture.Host.CandidateForks - forks); // one compile: the check's fork served the compile and the emit

        var confirmed = await fixture.Host.FindConfirmation(offered.PendingConfirmation!.Value)!.WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(confirmed.Status == VerificationStatus.Passed, FeedbackRenderer.Render(confirmed, 4000));
        Assert.True(confirmed.RealBuild);
        Assert.True(confirmed.WholeSuite);
        Assert.Equal(4, confirmed.PassedTests);
        Assert.Equal(3, confirmed.ImpactedTests);
        Assert.Null(confirmed.PendingConfirmation);
        Assert.Equal(1, fixture.Host.BuildRuns - builds);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }

    [Fact]
    public async Task A_reusable_check_of_unchanged_inputs_is_answered_without_building_or_testing_again()
    {
        var request = new VerificationRequest([new FileChange(Calculator, File.ReadAllText(Calculator))], TestFilter: "FullyQualifiedName~Add_") { ReuseUnchanged = true };
        var first = await fixture.Host.VerifyAsync(request, null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, first.Status);
        var (builds, testRuns, reused) = (fixture.Host.BuildRuns, fixture.Host.TestRuns, fixture.Host.ReusedResults);

        var progress = new List<string>();
        var second = await fixture.Host.VerifyAsync(request with { }, new SynchronousProgress(progress.Add), CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, second.Status);
        Assert.Equal(first.PassedTests, second.PassedTests);
        Assert.Equal((builds, testRuns, reused + 1), (fixture.Host.BuildRuns, fixture.Host.TestRuns, fixture.Host.ReusedResults));
        Assert.True(second.Reused && second.TestRuns.Count == 0);
        Assert.Contains("unchanged since it was last checked: that result stands", progress); // and the user is told

        // Not asked to reuse: checked again.
        await fixture.Host.VerifyAsync(request with { ReuseUnchanged = false }, null, CancellationToken.None);
        Assert.True(fixture.Host.TestRuns > testRuns);

        // An editor buffer that changes another file changes the inputs: checked again.
        var tests = fixture.Copy.PathOf("Calc.Tests/CalculatorTests.cs");
        testRuns = fixture.Host.TestRuns;
        fixture.Host.SetOverlay(tests, File.ReadAllText(tests) + "\n// edited\n");
        try
        {
            var third = await fixture.Host.VerifyAsync(request, null, CancellationToken.None);
            Assert.Equal(VerificationStatus.Passed, third.Status);
            Assert.True(fixture.Host.TestRuns > testRuns, "an overlay changed: the tests had to run again");
        }
        finally
        {
            fixture.Host.RemoveOverlay(tests);
        }

        // A file on disk that no project compiles (tests may read it) changes the inputs too.
        testRuns = fixture.Host.TestRuns;
        var data = fixture.Copy.PathOf("Calc.Tests/data.txt");
        File.WriteAllText(data, "new");
        try
        {
            await fixture.Host.VerifyAsync(request, null, CancellationToken.None);
            Assert.True(fixture.Host.TestRuns > testRuns, "a file on disk changed: the tests had to run again");
        }
        finally
        {
            File.Delete(data);
        }
    }
}
