using Microsoft.Extensions.Logging;
using OCI.Workspace.Processes;
using OCI.Workspace.Shadow;
using OCI.Workspace.SolutionState;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.KnownFailures;

/// <summary>
/// The known test outcomes after load (<see cref="VerificationSettings.KnownFailuresOnLoad"/>): which tests already fail
/// in the last state of the user's code that compiled, measured in the background at low priority so that no check
/// someone waits for queues behind it. Only tests that do not reach a change are ever excused by them
/// (<see cref="KnownTestOutcomes"/>); the host's checks keep them up to date afterwards.
/// </summary>
internal sealed class KnownFailuresMeasurement(
    OverlaidSolution state,
    ShadowVerificationPipeline pipeline,
    KnownTestOutcomes knownOutcomes,
    VerificationSettings settings,
    ProcessSandbox sandbox,
    Func<string> root,
    Func<VerificationRequest, CancellationToken, Task<VerificationResult>> verify,
    Func<VerificationRequest, CancellationToken, Task<VerificationResult>> verifyCore,
    Func<Task<bool>> mayStart,
    ILogger logger,
    CancellationToken lifetime)
{
    private readonly OverlaidSolution _state = state;
    private readonly ShadowVerificationPipeline _pipeline = pipeline;
    private readonly KnownTestOutcomes _knownOutcomes = knownOutcomes;
    private readonly VerificationSettings _settings = settings;
    private readonly ProcessSandbox _sandbox = sandbox;
    private readonly Func<string> _root = root;
    private readonly Func<VerificationRequest, CancellationToken, Task<VerificationResult>> _verify = verify;
    private readonly Func<VerificationRequest, CancellationToken, Task<VerificationResult>> _verifyCore = verifyCore;
    private readonly Func<Task<bool>> _mayStart = mayStart;
    private readonly ILogger _logger = logger;
    private readonly CancellationToken _lifetime = lifetime;

    /// <summary>
    /// Measures the outcome of every test in the last state of the code that compiled, so the tests that already fail
    /// are known before the first candidate is judged, as early as possible: from the user's built test assemblies when
    /// they are up to date (no build); else the code as loaded, built and run whole through the same pipeline as any
    /// check; when that does not compile, the built test assemblies (the code as last built, when that is newer than
    /// the committed HEAD), else the committed HEAD. In the background: a failure only leaves nothing known.
    /// </summary>
    public Task MeasureAsync() => Task.Run(async () =>
    {
        // Nobody waits for it: a check the user asked for takes the shadow copy first.
        BackgroundPriority.MarkYieldingFlow();
        if (!await _mayStart().ConfigureAwait(false)) return;
        try
        {
            var built = BuiltTestAssemblies.Find(_state.Solution, _root());
            if (built is { Current: true } && await RecordBuiltTestsAsync(built).ConfigureAwait(false))
            {
                WarmShadowBuild([]);
                return;
            }

            // Code that Roslyn cannot compile is not built in the shadow copy only to fail there (a build's seconds).
            if (await CompilesInMemoryAsync().ConfigureAwait(false))
            {
                var loaded = await _verify(new VerificationRequest([]) { ReuseUnchanged = true }, _lifetime).ConfigureAwait(false);
                if (loaded.Compiles && loaded.WholeSuite)
                {
                    _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail in your code as loaded", loaded.FailedTests, loaded.Tests.Count);
                    return;
                }
            }
            // The editor's buffers break it, the saved files may not: those are the last state that compiled (a file
            // broken in the editor before the load finished).
            if (SavedFilesChanges() is { Count: > 0 } saved)
            {
                var onDisk = await _verifyCore(new VerificationRequest(saved), _lifetime).ConfigureAwait(false);
                if (onDisk.Compiles && onDisk.WholeSuite)
                {
                    _knownOutcomes.Record(onDisk.Tests, KnownFailuresSource.SavedFiles);
                    _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail in your saved files", onDisk.FailedTests, onDisk.Tests.Count);
                    return;
                }
            }
            var timeout = TimeSpan.FromSeconds(30);
            if (built is not null)
            {
                var headTime = await CommittedHead.CommitTimeAsync(_root(), timeout, _lifetime).ConfigureAwait(false);
                if ((headTime is null || built.BuiltAtUtc > headTime) && await RecordBuiltTestsAsync(built).ConfigureAwait(false))
                {
                    if (await CommittedHead.ChangesBackToHeadAsync(_root(), timeout, _lifetime).ConfigureAwait(false) is { Count: > 0 } compiling) WarmShadowBuild(compiling);
                    return;
                }
            }
            if (await CommittedHead.ChangesBackToHeadAsync(_root(), timeout, _lifetime).ConfigureAwait(false) is not { Count: > 0 } head)
            {
                _logger.LogInformation("Known test outcomes: none (your code does not compile at load and there is no committed HEAD or built test assembly to measure)");
                return;
            }
            var committed = await _verifyCore(new VerificationRequest(head), _lifetime).ConfigureAwait(false);
            if (committed.Compiles && committed.WholeSuite)
            {
                _knownOutcomes.Record(committed.Tests, KnownFailuresSource.CommittedHead);
                _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail at the committed HEAD", committed.FailedTests, committed.Tests.Count);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Measuring the tests that already fail did not finish");
        }
    });

    /// <summary>
    /// After known outcomes came from the built test assemblies (no build), builds code that compiles (the workspace, or
    /// <paramref name="changes"/> applied to it: the committed HEAD when the workspace does not compile) in the shadow
    /// copy, without tests, so that the first candidate finds the copy built and gets the fast in-memory round, as it
    /// would after a measurement that built. In the background, after the known outcomes are there.
    /// </summary>
    private void WarmShadowBuild(IReadOnlyList<FileChange> changes) => _ = Task.Run(async () =>
    {
        // Speculative: every check goes first, and its build runs at the lowest CPU priority.
        BackgroundPriority.MarkYieldingFlow();
        BackgroundPriority.MarkCurrentFlow();
        try
        {
            var result = await _verifyCore(new VerificationRequest(changes, RunTests: false) { SkipInMemoryCompile = true }, _lifetime).ConfigureAwait(false);
            _logger.LogDebug("Shadow copy warmed by a build of {State}: {Status}", changes.Count == 0 ? "your code as loaded" : "the committed HEAD", result.Status);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Warming the shadow copy with a build did not finish");
        }
    });

    /// <summary>The changes that take the editor's unsaved buffers back to the files on disk (none when all are saved).</summary>
    public List<FileChange> SavedFilesChanges()
    {
        var changes = new List<FileChange>();
        foreach (var (path, text) in _state.Snapshot().Overlays)
        {
            if (!File.Exists(path)) continue;
            var saved = File.ReadAllText(path);
            if (!string.Equals(saved, text, StringComparison.Ordinal)) changes.Add(new FileChange(path, saved));
        }
        return changes;
    }

    /// <summary>True when no project of the workspace as it is has a compile error (the baseline's diagnostics, shared with every check).</summary>
    private async Task<bool> CompilesInMemoryAsync()
    {
        var baseline = _state.Baseline;
        foreach (var id in baseline.Solution.ProjectIds)
        {
            var diagnostics = await baseline.GetDiagnosticsAsync(id, _lifetime).ConfigureAwait(false);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverityLevel.Error)) return false;
        }
        return true;
    }

    /// <summary>Runs the user's built test assemblies whole in the shadow copy and keeps their outcomes; false when the run did not complete.</summary>
    private async Task<bool> RecordBuiltTestsAsync(BuiltTestAssemblies built)
    {
        if (!_settings.Build || !_settings.RunTests || _sandbox.Refusal is not null) return false;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        TestRunOutcome outcome;
        try
        {
            outcome = await _pipeline.RunBuiltTestsAsync(built.Assemblies, _lifetime).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogInformation(e, "The built test assemblies could not be run; measuring otherwise");
            return false;
        }
        if (outcome.TimedOut || outcome.Crashed || outcome.Results.Count == 0)
        {
            _logger.LogInformation("The built test assemblies did not give known outcomes ({Runner}: {Results} results{TimedOut}{Crashed})",
                outcome.Runner, outcome.Results.Count, outcome.TimedOut ? ", timed out" : "", outcome.Crashed ? ", crashed" : "");
            return false;
        }
        _knownOutcomes.Record(outcome.Results, built.Source);
        _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail in {Source} ({ElapsedMs} ms, no build)",
            outcome.Results.Count(r => r.Outcome == TestOutcome.Failed), outcome.Results.Count, built.Source, watch.ElapsedMilliseconds);
        return true;
    }
}
