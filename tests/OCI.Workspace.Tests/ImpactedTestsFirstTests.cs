using OCI.Workspace.Feedback;
using OCI.Workspace.Processes;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// An editor's check (<see cref="VerificationRequest.ConfirmLater"/>) on a real fixture: offered after the tests that
/// reference the change pass, with the real build and whole suite confirming afterwards; background work gives way to
/// it; a later confirmation supersedes an earlier one; and only the projects that differ from what the shadow's outputs
/// were built from are compiled and emitted again. Each test opens its own copy of the fixture: the host's counters,
/// overlays, built outputs and superseded confirmations are state one test must not leave to the next.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ImpactedTestsFirstTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private readonly PassingFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private string Calculator => _fixture.Copy.PathOf("Calc/Calculator.cs");

    private string CalculatorTests => _fixture.Copy.PathOf("Calc.Tests/CalculatorTests.cs");

    private string CalculatorWith(string oldText, string newText) => Replaced(Calculator, oldText, newText);

    private static string Replaced(string path, string oldText, string newText)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return text.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static VerificationRequest EditorRequest(string? filter, params FileChange[] changes) =>
        new(changes, TestFilter: filter) { ConfirmLater = true, AllErrorsInChangedFiles = true };

    /// <summary>The shadow copy built by MSBuild from the code as it is (every test starts there).</summary>
    private async Task BuiltAsItIsAsync()
    {
        var built = await _fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
        Assert.True(built.Status == VerificationStatus.Passed && built.RealBuild, FeedbackRenderer.Render(built, 4000));
    }

    [Fact]
    public async Task A_candidate_that_breaks_a_private_helper_fails_the_tests_that_reach_it_through_its_callers_before_any_offer()
    {
        // The user's code (an open buffer): Multiply calls a private helper, which no test names; Multiply's test reaches it.
        var withHelper = CalculatorWith("        return a * b;\n    }", "        return Times(a, b);\n    }\n\n    private static int Times(int a, int b) => a * b;");
        _fixture.Host.SetOverlay(Calculator, withHelper);
        try
        {
            await BuiltAsItIsAsync();
            var breaksMultiply = new FileChange(Calculator, withHelper.Replace("=> a * b;", "=> a * b + 1;", StringComparison.Ordinal));

            var result = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", breaksMultiply), null, CancellationToken.None);

            // The target's filter names Add's tests; the helper's reaching test ran first too, failed, and nothing was offered.
            Assert.Equal(VerificationStatus.TestsFailed, result.Status);
            Assert.Equal("Calc.Tests.CalculatorTests.Multiply_ReturnsProduct", Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed).Name);
            Assert.Contains(result.Tests, t => t.Name.Contains(".Add_", StringComparison.Ordinal) && t.Outcome == TestOutcome.Passed);
            Assert.Contains("Calc.Tests.CalculatorTests.Multiply_ReturnsProduct", result.ReachingTests);
            Assert.False(result.WholeSuite);
            Assert.Null(result.PendingConfirmation);
            Assert.Empty(result.KnownFailures);
        }
        finally
        {
            _fixture.Host.RemoveOverlay(Calculator);
        }
    }

    [Fact]
    public async Task The_tests_of_every_member_the_candidate_changes_run_first_not_only_those_of_the_target()
    {
        await BuiltAsItIsAsync();
        // The target's tests are Add's; the candidate also breaks Multiply, which its own test references.
        var breaksMultiply = new FileChange(Calculator, CalculatorWith("return a * b;", "return a * b + 1;"));

        var result = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", breaksMultiply), null, CancellationToken.None);

        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
        Assert.Equal(4, result.ImpactedTests);
        Assert.Equal("Calc.Tests.CalculatorTests.Multiply_ReturnsProduct", Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed).Name);
        Assert.False(result.RealBuild);
        Assert.Null(result.PendingConfirmation);

        // A test the candidate writes runs first too.
        var newTest = new FileChange(CalculatorTests, Replaced(CalculatorTests, "    [Fact]\n    public void Add_ReturnsSum",
            "    [Fact]\n    public void Written_ByTheCandidate() => Assert.Equal(1, 2);\n\n    [Fact]\n    public void Add_ReturnsSum"));
        var written = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", newTest), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, written.Status);
        Assert.Equal("Calc.Tests.CalculatorTests.Written_ByTheCandidate", Assert.Single(written.Tests, t => t.Outcome == TestOutcome.Failed).Name);
        Assert.False(written.RealBuild);
    }

    [Fact]
    public async Task A_change_no_test_references_is_offered_once_it_compiles_and_the_real_build_and_whole_suite_confirm_it()
    {
        await BuiltAsItIsAsync();
        var (builds, testRuns) = (_fixture.Host.BuildRuns, _fixture.Host.TestRuns);
        var progress = new List<string>();

        // A new member nobody calls yet (a change inside Add would be Add's tests' business).
        var offered = await _fixture.Host.VerifyAsync(EditorRequest(null, new FileChange(Calculator, CalculatorWith("    public static int Multiply(", "    private static int Unused() => 1;\n\n    public static int Multiply("))),
            new SynchronousProgress(l => { lock (progress) progress.Add(l); }), CancellationToken.None);

        Assert.True(offered.Status == VerificationStatus.Passed, FeedbackRenderer.Render(offered, 4000));
        Assert.Equal(0, offered.ImpactedTests);
        Assert.Empty(offered.Tests);
        Assert.False(offered.WholeSuite);
        Assert.False(offered.RealBuild);
        Assert.Equal(TimeSpan.Zero, offered.BuildTime + offered.TestTime); // nothing was built or run before the offer
        Assert.Equal("compiled; no test reaches the change", offered.Message);

        var confirmed = await _fixture.Host.FindConfirmation(offered.PendingConfirmation!.Value)!.WaitAsync(Long);
        Assert.True(confirmed.Status == VerificationStatus.Passed, FeedbackRenderer.Render(confirmed, 4000));
        Assert.True(confirmed.RealBuild && confirmed.WholeSuite);
        Assert.Equal(4, confirmed.PassedTests);
        Assert.Equal((1, 1), (_fixture.Host.BuildRuns - builds, _fixture.Host.TestRuns - testRuns));
    }

    [Fact]
    public async Task A_later_confirmation_supersedes_an_earlier_one_that_has_not_run_and_only_the_later_one_builds()
    {
        await BuiltAsItIsAsync();
        var builds = _fixture.Host.BuildRuns;
        VerificationResult first, second;
        using (await _fixture.Host.HoldShadowAsync(CancellationToken.None)) // the shadow is busy: the first confirmation waits
        {
            // Changes no test references (new members nobody calls yet): offered at once, with nothing to run first.
            const string before = "    public static int Multiply(";
            first = await _fixture.Host.VerifyAsync(EditorRequest(null, new FileChange(Calculator, CalculatorWith(before, "    private static int One() => 1;\n\n" + before))), null, CancellationToken.None);
            // The user applied the first edit (it is in the buffer) and adds something else.
            second = await _fixture.Host.VerifyAsync(EditorRequest(null,
                new FileChange(Calculator, CalculatorWith(before, "    private static int One() => 1;\n\n    private static int Two() => 2;\n\n" + before))), null, CancellationToken.None);
        }

        var firstConfirmed = await _fixture.Host.FindConfirmation(first.PendingConfirmation!.Value)!.WaitAsync(Long);
        Assert.True(firstConfirmed.Superseded);
        Assert.False(firstConfirmed.RealBuild); // it says what it is: nothing more than the offer was verified
        Assert.False(firstConfirmed.WholeSuite);
        Assert.Contains("superseded", firstConfirmed.Message ?? "", StringComparison.OrdinalIgnoreCase);

        var secondConfirmed = await _fixture.Host.FindConfirmation(second.PendingConfirmation!.Value)!.WaitAsync(Long);
        Assert.False(secondConfirmed.Superseded);
        Assert.True(secondConfirmed.Status == VerificationStatus.Passed && secondConfirmed.RealBuild && secondConfirmed.WholeSuite, FeedbackRenderer.Render(secondConfirmed, 4000));
        Assert.Equal(1, _fixture.Host.BuildRuns - builds);
    }

    [Fact]
    public async Task Background_work_in_the_shadow_copy_gives_way_to_a_check_someone_waits_for_and_finishes_afterwards()
    {
        await BuiltAsItIsAsync();
        var progress = new List<string>();
        var interruptedBefore = _fixture.Host.InterruptedChecks;
        var building = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var report = new SynchronousProgress(line =>
        {
            lock (progress) progress.Add(line);
            if (line.EndsWith("building…", StringComparison.Ordinal)) building.TrySetResult();
        });
        // A fix-it's check: marked background, a fast round and then the real build with all tests (seconds).
        var background = Task.Run(async () =>
        {
            BackgroundPriority.MarkCurrentFlow();
            return await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"))]), report, CancellationToken.None);
        });
        await building.Task.WaitAsync(Long);

        var foreground = await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a * b;", "return b * a;"))], TestFilter: "FullyQualifiedName~Multiply_"), null, CancellationToken.None);
        Assert.True(foreground.Status == VerificationStatus.Passed && foreground.RealBuild, FeedbackRenderer.Render(foreground, 4000));

        var backgroundResult = await background.WaitAsync(Long);
        Assert.True(backgroundResult.Status == VerificationStatus.Passed && backgroundResult.RealBuild, FeedbackRenderer.Render(backgroundResult, 4000));
        Assert.Equal(4, backgroundResult.PassedTests);
        Assert.True(_fixture.Host.InterruptedChecks > interruptedBefore, "the background check gave the shadow copy to the command and started over");
    }

    [Fact]
    public async Task Only_projects_that_differ_from_the_built_outputs_are_compiled_and_emitted_and_a_const_change_reemits_its_dependants()
    {
        await BuiltAsItIsAsync();
        // The candidate is the code as built: nothing to compile beyond the changed file, nothing to emit.
        var same = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", new FileChange(Calculator, File.ReadAllText(Calculator))), null, CancellationToken.None);
        Assert.True(same.Status == VerificationStatus.Passed, FeedbackRenderer.Render(same, 4000));
        Assert.Empty(_fixture.Host.LastCompiledProjects);
        Assert.Empty(_fixture.Host.LastEmittedProjects);
        await _fixture.Host.FindConfirmation(same.PendingConfirmation!.Value)!.WaitAsync(Long);

        // A const the tests inline (Seed = 2): built for real (fast round, then MSBuild).
        string CalcWithSeed(int seed, string add = "return a + b;") => CalculatorWith("    public static int Add(", $"    public const int Seed = {seed};\n\n    public static int Add(").Replace("return a + b;", add, StringComparison.Ordinal);
        var testsWithSeed = new FileChange(CalculatorTests, Replaced(CalculatorTests, "    [Fact]\n    public void Add_ReturnsSum",
            "    [Fact]\n    public void Seed_IsInlined() => Assert.Equal(7, Calculator.Add(Calculator.Seed, 5));\n\n    [Fact]\n    public void Add_ReturnsSum"));
        const string seedTest = "FullyQualifiedName~Seed_";
        var seeded = await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalcWithSeed(2)), testsWithSeed], TestFilter: seedTest) { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.True(seeded.Status == VerificationStatus.Passed && seeded.RealBuild, FeedbackRenderer.Render(seeded, 4000));

        // Seed = 3: top-level equivalent but for the const, which the test project inlines: both projects again.
        var changedConst = await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalcWithSeed(3)), testsWithSeed], TestFilter: seedTest) { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.Equal(["Calc", "Calc.Tests"], _fixture.Host.LastCompiledProjects.Order(StringComparer.Ordinal));
        Assert.Equal(["Calc", "Calc.Tests"], _fixture.Host.LastEmittedProjects.Order(StringComparer.Ordinal));
        Assert.Equal(VerificationStatus.TestsFailed, changedConst.Status); // 3 + 5 is not 7: the test saw the new value
        Assert.Equal("Calc.Tests.CalculatorTests.Seed_IsInlined", Assert.Single(changedConst.Tests, t => t.Outcome == TestOutcome.Failed).Name);

        // Only a body changes: its project is emitted, the dependant's output stays valid and is neither compiled nor emitted.
        var changedBody = await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalcWithSeed(3, "return b + a;")), testsWithSeed], TestFilter: seedTest) { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.Empty(_fixture.Host.LastCompiledProjects);
        Assert.Equal(["Calc"], _fixture.Host.LastEmittedProjects);
        Assert.Equal(VerificationStatus.TestsFailed, changedBody.Status); // still the inlined 3
    }

    [Fact]
    public async Task After_the_warm_up_found_a_project_without_errors_the_first_change_to_its_bodies_compiles_no_project()
    {
        // Nothing built or checked yet: only the warm-up after load compiled the projects, and found no errors.
        await _fixture.Host.WarmedUp.WaitAsync(Long);
        var body = await _fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"))], Build: false, RunTests: false) { AllErrorsInChangedFiles = true },
            null, CancellationToken.None);
        Assert.True(body.Status == VerificationStatus.Passed, FeedbackRenderer.Render(body, 4000));
        Assert.Empty(_fixture.Host.LastCompiledProjects);

        // A change that declares something new is compiled in full, as before.
        var declared = await _fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, CalculatorWith("    public static int Add(", "    public static int Extra() => 1;\n\n    public static int Add("))], Build: false, RunTests: false) { AllErrorsInChangedFiles = true },
            null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, declared.Status);
        Assert.Contains("Calc", _fixture.Host.LastCompiledProjects);
    }

    [Fact]
    public async Task A_check_after_another_state_was_built_compiles_nothing_again_when_an_earlier_built_state_differs_only_in_bodies()
    {
        await BuiltAsItIsAsync();
        var original = File.ReadAllText(Calculator);
        // A background fix-it might build anything: here a candidate that declares a new method (the outputs now hold it).
        var declared = await _fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, CalculatorWith("    public static int Add(", "    public static int Extra() => 1;\n\n    public static int Add("))]) { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.True(declared.Status == VerificationStatus.Passed && declared.RealBuild, FeedbackRenderer.Render(declared, 4000));

        // The user's next check: a body change on the code as it was. The state built first still proves that it
        // compiles (no project compiled again); the outputs hold the other state, so both projects are emitted.
        var body = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", new FileChange(Calculator, original.Replace("return a + b;", "return b + a;", StringComparison.Ordinal))), null, CancellationToken.None);
        Assert.True(body.Status == VerificationStatus.Passed, FeedbackRenderer.Render(body, 4000));
        Assert.Empty(_fixture.Host.LastCompiledProjects);
        Assert.Equal(["Calc", "Calc.Tests"], _fixture.Host.LastEmittedProjects.Order(StringComparer.Ordinal));
        await _fixture.Host.FindConfirmation(body.PendingConfirmation!.Value)!.WaitAsync(Long);

        // Another file differs from every built state in a body (the user's unsaved edit in the tests): it is checked
        // on its own. Without errors there, nothing is compiled again; with one, its project is compiled in full (so
        // that its errors are told apart from those the user already had).
        var bodyOnly = new VerificationRequest([new FileChange(Calculator, original.Replace("return a + b;", "return b + a;", StringComparison.Ordinal))], Build: false, RunTests: false) { AllErrorsInChangedFiles = true };
        _fixture.Host.SetOverlay(CalculatorTests, Replaced(CalculatorTests, "Calculator.Add(2, 3)", "Calculator.Add(3, 2)"));
        Assert.Equal(VerificationStatus.Passed, (await _fixture.Host.VerifyAsync(bodyOnly, null, CancellationToken.None)).Status);
        Assert.Empty(_fixture.Host.LastCompiledProjects);

        _fixture.Host.SetOverlay(CalculatorTests, Replaced(CalculatorTests, "Calculator.Add(2, 3)", "Calculator.Add(undefinedName, 3)"));
        await _fixture.Host.VerifyAsync(bodyOnly, null, CancellationToken.None);
        Assert.Equal(["Calc.Tests"], _fixture.Host.LastCompiledProjects);
    }

    [Fact]
    public async Task An_editor_check_takes_the_complete_result_of_identical_inputs_a_background_fix_it_already_verified()
    {
        await BuiltAsItIsAsync();
        var change = new FileChange(Calculator, CalculatorWith("return a + b;", "return b + a;"));
        // The fix-it's check: no ConfirmLater, so the real build and whole suite ran.
        var fixIt = await _fixture.Host.VerifyAsync(new VerificationRequest([change], TestFilter: "FullyQualifiedName~Add_") { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.True(fixIt.Status == VerificationStatus.Passed && fixIt.RealBuild && fixIt.WholeSuite, FeedbackRenderer.Render(fixIt, 4000));
        var (builds, testRuns, reused) = (_fixture.Host.BuildRuns, _fixture.Host.TestRuns, _fixture.Host.ReusedResults);

        var command = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", change), null, CancellationToken.None);

        Assert.Equal((builds, testRuns, reused + 1), (_fixture.Host.BuildRuns, _fixture.Host.TestRuns, _fixture.Host.ReusedResults));
        Assert.True(command.RealBuild && command.WholeSuite && command.PendingConfirmation is null); // it says what was verified: everything
        Assert.Equal(4, command.PassedTests);

        // A candidate a fix-it found failing (its impacted tests fail) is not checked again either.
        var breaksAdd = new FileChange(Calculator, CalculatorWith("return a + b;", "return a - b;"));
        var fixItFailure = await _fixture.Host.VerifyAsync(new VerificationRequest([breaksAdd], TestFilter: "FullyQualifiedName~Add_") { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, fixItFailure.Status);
        (builds, testRuns, reused) = (_fixture.Host.BuildRuns, _fixture.Host.TestRuns, _fixture.Host.ReusedResults);
        var commandFailure = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", breaksAdd), null, CancellationToken.None);
        Assert.Equal(VerificationStatus.TestsFailed, commandFailure.Status);
        Assert.Equal((builds, testRuns, reused + 1), (_fixture.Host.BuildRuns, _fixture.Host.TestRuns, _fixture.Host.ReusedResults));

        // Other inputs (another candidate) are checked, not reused.
        var other = await _fixture.Host.VerifyAsync(EditorRequest("FullyQualifiedName~Add_", new FileChange(Calculator, CalculatorWith("return a * b;", "return b * a;"))), null, CancellationToken.None);
        Assert.Equal(reused + 1, _fixture.Host.ReusedResults);
        await _fixture.Host.FindConfirmation(other.PendingConfirmation!.Value)!.WaitAsync(Long);
    }
}
