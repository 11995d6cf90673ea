using Microsoft.Extensions.Logging;
using Microsoft.CodeAnalysis;
using OCI.Workspace.KnownFailures;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The test stage of a check, on whatever built the shadow's outputs (the in-memory emit or MSBuild): the tests of the
/// filter first (the tests that reach the change), then, when they pass and the check asks for it, the whole suite; and
/// the verdict on what failed: which failures are excused and why (a reaching test only by the differential check,
/// <see cref="VerificationRequest.ExcusedFailures"/>; any other by the known outcomes, where the whole suite ran).
/// </summary>
internal sealed class TestRound(string userRoot, VerificationSettings settings, KnownTestOutcomes knownOutcomes, ILogger logger)
{
    private readonly TestOutcomeMemo _memo = new();
    private int _runs;

    /// <summary>Test runs started (test support).</summary>
    public int Runs => Volatile.Read(ref _runs);

    public async Task<VerificationResult> RunAsync(
        TestRoundRunner runner, VerificationRequest request, string? testFilter, VerificationResult compiled, IReadOnlyList<CompilerDiagnostic> diagnostics, IReadOnlyList<Project> testProjects,
        ShadowWorkspace shadow, TimeSpan buildTime, bool onInMemoryBuild, IProgress<string>? progress, bool thenWholeSuite, IReadOnlySet<string>? neverExcused,
        string? sourceState, CancellationToken cancellationToken)
    {
        var assemblies = AssembliesOf(testProjects, shadow);
        // A filter of test names starts only the test projects that declare them; the whole suite below runs them all.
        var selecting = testFilter is null ? assemblies : AssembliesOf(await TestProjectSelection.SelectingAsync(testProjects, testFilter, cancellationToken).ConfigureAwait(false), shadow);
        if (selecting.Count == 0) selecting = assemblies;

        if (assemblies.Count == 0)
        {
            progress?.Report("no tests cover the change");
            return compiled with
            {
                Diagnostics = diagnostics, BuildTime = buildTime,
                Message = testProjects.Count == 0 ? "no test project references the changed code" : "the test assemblies were not found after the build",
            };
        }

        var testTimeout = TimeSpan.FromSeconds(settings.TestTimeoutSeconds);
        var workingDirectory = Path.GetDirectoryName(assemblies[0])!;
        progress?.Report(testFilter is null ? "running tests…" : "running the relevant tests first…");
        var outcome = await RunRememberedAsync(runner, selecting, workingDirectory, testFilter, sourceState, shadow, testTimeout, cancellationToken).ConfigureAwait(false);
        var elapsed = outcome.Elapsed;
        var runs = new List<TestRunRecord> { TestRunRecord.Of(outcome.Runner, onInMemoryBuild, testFilter is not null, outcome.Results) };
        var wholeSuite = testFilter is null;
        var relevant = new HashSet<string>(neverExcused ?? new HashSet<string>(), StringComparer.Ordinal);
        var impacted = testFilter is null ? 0 : outcome.Results.Count;
        IReadOnlyList<string> reaching = testFilter is null ? [] : [.. outcome.Results.Select(r => r.Name)];
        if (testFilter is not null && thenWholeSuite && !outcome.TimedOut && !outcome.Crashed && outcome.Results.All(r => r.Outcome != TestOutcome.Failed))
        {
            relevant.UnionWith(outcome.Results.Select(r => r.Name));
            wholeSuite = true;
            progress?.Report($"relevant tests: {Summary(outcome.Results)}; running all tests…");
            outcome = await RunRememberedAsync(runner, assemblies, workingDirectory, null, sourceState, shadow, testTimeout, cancellationToken).ConfigureAwait(false);
            elapsed += outcome.Elapsed;
            runs.Add(TestRunRecord.Of(outcome.Runner, onInMemoryBuild, filtered: false, outcome.Results));
        }
        // Two ways a failure is not the candidate's fault. A test that reaches the change: only when the differential check
        // found it failing the same way on the last state that compiled (request.ExcusedFailures, fix diagnostic only).
        // Any other test: when the known outcomes say it failed before, and only where the whole suite ran.
        var failedNames = outcome.Results.Where(r => r.Outcome == TestOutcome.Failed).Select(r => r.Name).ToList();
        var excused = outcome.TimedOut ? [] : failedNames.Where(n => request.ExcusedFailures.Any(e => ReachingTests.IsResultOf(n, e))).Distinct(StringComparer.Ordinal).ToList();
        var known = wholeSuite && !outcome.TimedOut
            ? knownOutcomes.AlreadyFailed(failedNames.Where(n => !relevant.Contains(n) && !excused.Contains(n, StringComparer.Ordinal)))
            : [];
        IReadOnlyList<string> knownFailures = [.. excused, .. known];
        var knownSource = excused.Count > 0 ? request.ExcusedFailuresSource : known.Count > 0 ? knownOutcomes.Source : null;
        progress?.Report($"running tests: {Summary(outcome.Results)}{(knownFailures.Count > 0 ? $" ({knownFailures.Count} failed before too)" : "")}{(outcome.TimedOut ? ", timed out" : outcome.OutputFloodCharacters is not null ? ", output limit exceeded" : outcome.Crashed ? ", test host crashed" : "")} ({outcome.Runner})");
        var (status, runMessage) = TestRunReport.Describe(outcome, settings.TestTimeoutSeconds);
        return compiled with
        {
            Status = status,
            Diagnostics = diagnostics,
            Tests = outcome.Results,
            KnownFailures = knownFailures,
            KnownFailuresSource = knownSource,
            ImpactedTests = impacted,
            ReachingTests = reaching,
            ReachingTestsBounded = request.ReachingTestsBounded,
            WholeSuite = wholeSuite && !outcome.TimedOut && !outcome.Crashed,
            Message = runMessage,
            Output = status == VerificationStatus.Passed ? null : Feedback.Truncation.HeadAndTail(outcome.Output, 4000),
            BuildTime = buildTime,
            TestTime = elapsed,
            TestRuns = runs,
        };
    }

    /// <summary>
    /// Runs <paramref name="filter"/>'s tests, less those an earlier round on the same inputs ran (<see cref="TestOutcomeMemo"/>:
    /// their results are taken), and keeps what ran for later rounds; <paramref name="sourceState"/> null runs everything.
    /// </summary>
    private async Task<TestRunOutcome> RunRememberedAsync(
        TestRoundRunner runner, IReadOnlyList<string> assemblies, string workingDirectory, string? filter, string? sourceState, ShadowWorkspace shadow, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var inputs = sourceState is null ? null : _memo.InputsOf(sourceState, assemblies, workingDirectory);
        var key = inputs?.Key;
        IReadOnlyList<TestCaseResult> remembered = [];
        var toRun = filter;
        if (key is not null && TestOutcomeMemo.ClausesOf(filter) is { } clauses)
        {
            var (results, unanswered) = _memo.Lookup(key, clauses);
            if (unanswered.Count == 0) return new TestRunOutcome(results, false, false, 0, [], "", TimeSpan.Zero, Remembered);
            remembered = results;
            toRun = string.Join('|', unanswered.Select(c => c.Field + c.Operator + c.Value));
        }
        Interlocked.Increment(ref _runs);
        var outcome = await runner.RunAsync(assemblies, workingDirectory, shadow.FreshResultsDirectory, toRun, timeout, shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
        // Kept only from a run that ended as runs should, and left its folders as it found them.
        if (inputs is not null && !outcome.TimedOut && !outcome.Crashed && outcome.OutputFloodCharacters is null && outcome.Survivors.Count == 0
            && (toRun is null || TestOutcomeMemo.ClausesOf(toRun) is not null))
        {
            var ranClauses = toRun is null ? null : TestOutcomeMemo.ClausesOf(toRun);
            var after = _memo.InputsOf(sourceState!, assemblies, workingDirectory);
            if (after?.Key == inputs.Key)
            {
                _memo.Record(inputs.Key, ranClauses, outcome.Results);
            }
            else if (after is not null && TestOutcomeMemo.OnlyAdded(inputs, after))
            {
                // Tests that write beside their assembly (BenchmarkDotNet's log of each run): the next round finds the
                // folder as this one left it, and the results hold for it too.
                _memo.Record(inputs.Key, ranClauses, outcome.Results);
                _memo.Record(after.Key, ranClauses, outcome.Results);
                logger.LogDebug("Test results remembered also for the {Count} file(s) the run added beside its assemblies", after.Files.Count - inputs.Files.Count);
            }
            else
            {
                logger.LogDebug("Test results not remembered: the run changed files beside {Assemblies}", string.Join(", ", assemblies.Select(Path.GetFileName)));
            }
        }
        if (inputs is not null) logger.LogDebug("Test memo: {Remembered} result(s) remembered, {Ran} run", remembered.Count, outcome.Results.Count);
        if (remembered.Count == 0) return outcome;
        var ran = outcome.Results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return outcome with { Results = [.. remembered.Where(r => !ran.Contains(r.Name)), .. outcome.Results], Runner = outcome.Runner + " + " + Remembered };
    }

    /// <summary>How a round answered from earlier results names its runner.</summary>
    internal const string Remembered = "results of the same binaries run before";

    private static string Summary(IReadOnlyList<TestCaseResult> results)
    {
        var passed = results.Count(r => r.Outcome == TestOutcome.Passed);
        var failed = results.Count(r => r.Outcome == TestOutcome.Failed);
        var skipped = results.Count(r => r.Outcome == TestOutcome.Skipped);
        return $"{passed} passed, {failed} failed{(skipped > 0 ? $", {skipped} skipped" : "")}";
    }

    internal IReadOnlyList<string> AssembliesOf(IEnumerable<Project> testProjects, ShadowWorkspace shadow) =>
        [.. testProjects
            .Select(p => p.OutputFilePath)
            .OfType<string>()
            .Where(p => ShadowWorkspace.IsInside(p, userRoot))
            .Select(shadow.ToShadowPath)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)];
}
