using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Compilation;
using OCI.Workspace.KnownFailures;
using OCI.Workspace.DiskChanges;
using OCI.Workspace.Loading;
using OCI.Workspace.Processes;
using OCI.Workspace.Shadow;
using OCI.Workspace.SolutionState;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace;

/// <summary>
/// The user's solution loaded with Roslyn's MSBuildWorkspace (<see cref="WorkspaceLoader"/>), with editor buffers
/// overlaid (<see cref="OverlaidSolution"/>), and the check of a candidate: its changes forked onto the immutable
/// baseline (<see cref="CandidateSolution"/>) and compiled once in memory (<see cref="CandidateCompiler"/>), then built
/// and tested for real in a warm shadow copy (<see cref="ShadowVerificationPipeline"/>); a check of unchanged inputs
/// may be answered with an earlier result (<see cref="ReusableResults"/>). Nothing here writes to the user's files.
/// </summary>
public sealed class MSBuildWorkspaceHost : IWorkspaceHost
{
    private Microsoft.CodeAnalysis.Workspace _workspace;
    private volatile WorkspaceLoadReport _loadReport;
    private readonly OverlaidSolution _state;
    private readonly ShadowVerificationPipeline _pipeline;
    private LastFork? _lastFork;
    private readonly VerificationSettings _settings;
    private readonly ILogger _logger;
    private readonly ReusableResults _reusableResults = new(capacity: 8);
    private readonly KnownTestOutcomes _knownOutcomes = new();
    private readonly BuiltProjects _built = new();
    private IReadOnlyList<string> _lastCompiled = [];
    private readonly ImpactedTests _impactedTests = new();
    private readonly KnownFailuresMeasurement _measurement;
    private readonly FailedBeforeCheck _failedBefore;
    private int _candidateForks;
    private readonly TaskCompletionSource _backgroundWorkStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();

    private MSBuildWorkspaceHost(Microsoft.CodeAnalysis.Workspace workspace, Solution solution, WorkspaceLoadReport report, VerificationSettings settings, ILogger logger)
    {
        _workspace = workspace;
        _settings = settings;
        _logger = logger;
        _loadReport = report;
        _state = new OverlaidSolution(solution);
        Sandbox = ProcessSandbox.Create(settings.Sandbox, settings.BubblewrapPath);
        _pipeline = new ShadowVerificationPipeline(report.Root, settings, Sandbox, _knownOutcomes, _built, GetText, () => KnownFailuresMeasured, logger);
        _measurement = new KnownFailuresMeasurement(_state, _pipeline, _knownOutcomes, settings, Sandbox, () => LoadReport.Root,
            (request, cancellationToken) => VerifyAsync(request, progress: null, cancellationToken),
            (request, cancellationToken) => VerifyCoreAsync(request, progress: null, cancellationToken),
            BackgroundWorkMayStartAsync, logger, _lifetime.Token);
        _failedBefore = new FailedBeforeCheck(_state, () => LoadReport.Root, _measurement.SavedFilesChanges, VerifyCoreAsync);
    }

    public WorkspaceLoadReport LoadReport => _loadReport;

    /// <summary>True when the solution came from the project load cache and MSBuild has not confirmed it yet.</summary>
    internal bool ServingFromLoadCache { get; private set; }

    /// <summary>The background MSBuild load that replaces a solution from the load cache (completed when there was none).</summary>
    internal Task LoadConfirmed { get; private set; } = Task.CompletedTask;

    /// <summary>How the build and the tests (generated code) are contained (<see cref="VerificationSettings.Sandbox"/>).</summary>
    public ProcessSandbox Sandbox { get; }

    /// <summary>MSBuild builds this host has run in its shadow copy (tests count the work a check did).</summary>
    public Task<VerificationResult>? FindConfirmation(ConfirmationId id) => _pipeline.FindConfirmation(id);

    public IDisposable HoldSpeculativeWork() => _pipeline.HoldSpeculativeWork();

    public Task PrepareChecksAsync(CancellationToken cancellationToken)
    {
        if (Sandbox.Refusal is not null || !_settings.Build) return Task.CompletedTask; // the check says why it cannot run
        var snapshot = _state.Snapshot();
        return _pipeline.PrepareAsync(snapshot.Baseline.Solution, snapshot.Overlays, cancellationToken);
    }

    internal int BuildRuns => _pipeline.BuildRuns;

    /// <summary>Checks that gave the shadow copy to one of higher priority and started over.</summary>
    internal int InterruptedChecks => _pipeline.InterruptedChecks;

    /// <summary>Test runs (warm host or dotnet test) this host has started.</summary>
    internal int TestRuns => _pipeline.TestRuns;

    /// <summary>Test support: holds the shadow copy as a check someone waits for would, until the lease is disposed.</summary>
    internal async Task<IDisposable> HoldShadowAsync(CancellationToken cancellationToken) => await _pipeline.HoldAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The projects the last check compiled in full (not those that compile as built: <see cref="BuiltProjects"/>).</summary>
    internal IReadOnlyList<string> LastCompiledProjects => Volatile.Read(ref _lastCompiled);

    /// <summary>The projects the last fast round emitted.</summary>
    internal IReadOnlyList<string> LastEmittedProjects => _pipeline.LastEmitted;

    /// <summary>Warm test hosts running now (test support: <see cref="PrepareChecksAsync"/> starts them ahead).</summary>
    internal int RunningTestHosts => _pipeline.RunningTestHosts;

    /// <summary>Checks answered with the result of an earlier check of the same inputs (<see cref="VerificationRequest.ReuseUnchanged"/>).</summary>
    internal int ReusedResults => _reusableResults.Reused;

    /// <summary>Candidate solutions forked (one per check: its compile, emit and test selection share it).</summary>
    internal int CandidateForks => Volatile.Read(ref _candidateForks);

    /// <summary>The background warm-up of every project's compilation after load (test support).</summary>
    internal Task WarmedUp { get; private set; } = Task.CompletedTask;

    /// <summary>The background measurement of the tests that already fail (<see cref="VerificationSettings.KnownFailuresOnLoad"/>).</summary>
    internal Task KnownFailuresMeasured { get; private set; } = Task.CompletedTask;

    /// <summary>Where the known test outcomes come from, and how many tests they cover (null before any measurement).</summary>
    internal (KnownFailuresSource? Source, int Tests) KnownOutcomes => (_knownOutcomes.Source, _knownOutcomes.Count);

    public Solution CurrentSolution => _state.Solution;

    /// <summary>Prepares the process for the first load, in the background and once (<see cref="WorkspacePrewarm"/>).</summary>
    public static void Prewarm(ILoggerFactory loggerFactory) => WorkspacePrewarm.Start(loggerFactory);

    /// <summary>
    /// Loads the solution (or the projects) under <paramref name="rootPath"/>. Never throws for a project that fails to
    /// load: each problem becomes a line of <see cref="WorkspaceLoadReport.Problems"/>, and the rest still works.
    /// </summary>
    /// <param name="deferBackgroundWork">
    /// Hold the warm-up and the known-failure measurement back until <see cref="StartBackgroundWork"/> (the engine first
    /// computes the open documents' diagnostics); by default they start at once.
    /// </param>
    public static Task<MSBuildWorkspaceHost> OpenAsync(
        string rootPath,
        VerificationSettings settings,
        ILoggerFactory loggerFactory,
        IProgress<string>? progress,
        CancellationToken cancellationToken,
        bool deferBackgroundWork = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        // Must run before any method that mentions an MSBuild type is compiled: see MSBuildRegistration.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        MSBuildRegistration.EnsureRegistered();
        loggerFactory.CreateLogger<MSBuildWorkspaceHost>().LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "MSBuildLocator registered", watch.ElapsedMilliseconds);
        return OpenCoreAsync(rootPath, settings, loggerFactory, progress, deferBackgroundWork, cancellationToken);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<MSBuildWorkspaceHost> OpenCoreAsync(
        string rootPath,
        VerificationSettings settings,
        ILoggerFactory loggerFactory,
        IProgress<string>? progress,
        bool deferBackgroundWork,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<MSBuildWorkspaceHost>();
        var loaded = await WorkspaceLoader.LoadAsync(rootPath, settings, logger, progress, cancellationToken).ConfigureAwait(false);
        var host = new MSBuildWorkspaceHost(loaded.Workspace, loaded.Solution, loaded.Report, settings, logger);
        if (loaded.Confirm is { } confirm)
        {
            host.ServingFromLoadCache = true;
            host.LoadConfirmed = host.ConfirmLoadAsync(confirm);
        }
        host.WarmUp();
        if (settings.KnownFailuresOnLoad && settings.Build && settings.RunTests) host.KnownFailuresMeasured = host._measurement.MeasureAsync();
        if (!deferBackgroundWork) host.StartBackgroundWork();
        return host;
    }

    public void StartBackgroundWork()
    {
        if (!_backgroundWorkStarted.TrySetResult()) return;
        // A fix asked for right after opening walks before the index: its words and test projects' compilations first.
        _ = Task.Run(async () =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await ReachingTests.PrepareFirstSearchAsync(CurrentSolution, _lifetime.Token).ConfigureAwait(false);
                _logger.LogDebug("Load timing: the first search for reaching tests readied in {ElapsedMs} ms", watch.ElapsedMilliseconds);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogDebug(e, "The first search for reaching tests was not readied (it reads what it needs itself)");
            }
        });
        // Fix-its and commands walk the callers of what they change: the index that makes the walk cheap is built once the
        // known outcomes are measured (every verdict needs those first); until then a search walks with Roslyn's.
        _ = Task.Run(async () =>
        {
            try
            {
                await KnownFailuresMeasured.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the host is closing
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogDebug(e, "The known outcomes were not measured; the caller index is built all the same");
            }
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await ReachingTests.PrepareAsync(CurrentSolution, _lifetime.Token).ConfigureAwait(false);
                _logger.LogDebug("Load timing: caller index built in {ElapsedMs} ms", watch.ElapsedMilliseconds);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogDebug(e, "The caller index was not built in the background (the first search builds it)");
            }
        });
    }

    /// <summary>
    /// Loads the solution with MSBuild while the one from the load cache serves, then puts MSBuild's in its place (the
    /// editor's overlays laid over it): MSBuild is the truth, the cache only a head start. A failed confirmation keeps
    /// the cached solution and says so in the load report.
    /// </summary>
    private Task ConfirmLoadAsync(Func<CancellationToken, Task<LoadedWorkspace>> confirm) => Task.Run(async () =>
    {
        // MSBuild's design-time build takes a core: it waits until the editor's first needs are served.
        try
        {
            await _backgroundWorkStarted.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var loaded = await confirm(_lifetime.Token).ConfigureAwait(false);
            _state.ReplaceLoaded(loaded.Solution);
            var cached = Interlocked.Exchange(ref _workspace, loaded.Workspace);
            cached.Dispose();
            var before = _loadReport;
            _loadReport = loaded.Report;
            ServingFromLoadCache = false;
            if (!before.LoadedProjects.SequenceEqual(loaded.Report.LoadedProjects, StringComparer.Ordinal))
            {
                _logger.LogInformation("MSBuild loaded {Projects} where the load cache had {Cached}", loaded.Report.LoadedProjects.Count, before.LoadedProjects.Count);
            }
            _logger.LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "MSBuild confirmed the cached load", watch.ElapsedMilliseconds);
            _logger.LogInformation("MSBuild confirmed the solution from the load cache; its solution serves from now on");
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Disposed while confirming.
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "MSBuild could not confirm the solution from the load cache; the cached one stays");
            _loadReport = _loadReport with { Problems = [.. _loadReport.Problems, $"warning: MSBuild could not reload the workspace ({e.Message}); using the project information from the last load"] };
        }
    });

    /// <summary>
    /// Once background work may start: records what the user's own build compiled (<see cref="RecordUserBuildAsync"/>),
    /// then warms every project's compilation (<see cref="CompilationWarmUp"/>).
    /// </summary>
    private void WarmUp() => WarmedUp = Task.Run(async () =>
    {
        if (!await BackgroundWorkMayStartAsync().ConfigureAwait(false)) return;
        await RecordUserBuildAsync(_lifetime.Token).ConfigureAwait(false);
        await CompilationWarmUp.RunAsync(_state.Baseline, _built, _logger, _lifetime.Token).ConfigureAwait(false);
    });

    /// <summary>
    /// The states the user's build outputs were compiled from (<see cref="UserBuildState"/>), each recorded as compiled
    /// without errors: a repository opened with a broken file (its build from before the break) is checked against the
    /// text that was built, so the fix that restores it compiles as built and only the fixed file is checked, not the
    /// whole project (seconds cold, on the first request after opening). Projects in dependency order; one that was
    /// not built as it is now is skipped with its dependants. Cheap: it reads PDBs and hashes the sources (a project's
    /// dependencies once more for each project that references them).
    /// </summary>
    private async Task RecordUserBuildAsync(CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var snapshot = _state.Snapshot();
            var state = snapshot.Baseline.Solution;
            var graph = state.GetProjectDependencyGraph();
            var recorded = new HashSet<ProjectId>();
            var notRecorded = new List<string>();
            foreach (var id in graph.GetTopologicallySortedProjects(cancellationToken))
            {
                if (graph.GetProjectsThatThisProjectDirectlyDependsOn(id).Any(d => !recorded.Contains(d))) continue;
                // With its dependencies: their copies beside its output must be their latest builds, else it was
                // compiled against older ones and its recorded state would claim a compile that never happened.
                var (asBuilt, whyNot) = await Building.UserBuildState.ReadAsync(state, BuiltProjects.WithDependencies(state, [id]), snapshot.Overlays.Keys, LoadReport.Root,
                    Building.UserBuildState.FromHead, cancellationToken).ConfigureAwait(false);
                if (asBuilt is null)
                {
                    notRecorded.Add($"{state.GetProject(id)?.Name}: {whyNot}");
                    continue;
                }
                state = asBuilt;
                await _built.RecordCompiledCleanAsync(state.GetProject(id)!, cancellationToken).ConfigureAwait(false);
                recorded.Add(id);
            }
            _logger.LogDebug("Load timing: your build's sources recorded as compiled for {Recorded} of {Projects} project(s) in {ElapsedMs} ms{WhyNot}",
                recorded.Count, state.ProjectIds.Count, watch.ElapsedMilliseconds, notRecorded.Count == 0 ? "" : " (not: " + string.Join("; ", notRecorded.Take(3)) + ")");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _logger.LogDebug(e, "Your build's sources were not recorded as compiled");
        }
    }

    /// <summary>
    /// Waits for <see cref="StartBackgroundWork"/> and for MSBuild's load (the warm-up and the known failures run on the
    /// confirmed solution); false when the host was disposed first.
    /// </summary>
    private async Task<bool> BackgroundWorkMayStartAsync()
    {
        try
        {
            await _backgroundWorkStarted.Task.ConfigureAwait(false);
            await LoadConfirmed.ConfigureAwait(false);
            return !_lifetime.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void SetOverlay(string path, string text) => _state.SetOverlay(path, text);

    public void RemoveOverlay(string path) => _state.RemoveOverlay(path);

    /// <summary>The file changed on disk (saved, checked out): take its disk text unless an overlay hides it.</summary>
    public void NotifyFileChanged(string path) => _state.NotifyFileChanged(path);

    public DiskChangeEffect ApplyDiskChanges(IReadOnlyList<DiskChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var changed = _state.ApplyDiskChanges(changes);
        var solution = _state.Solution;
        return new DiskChangeEffect(
            [.. changed.Select(id => solution.GetProject(id)?.FilePath).OfType<string>()],
            [.. changes.Where(c => c.RequiresReload).Select(c => Path.GetFullPath(c.Path)).Distinct(StringComparer.Ordinal)]);
    }

    public string? GetText(string path) => _state.GetText(path);

    public Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var baseline = _state.Baseline;
        var candidate = CandidateSolution.Fork(baseline.Solution, changes, cancellationToken);
        return CandidateCompiler.CompileAsync(baseline, candidate, new VerificationRequest(changes, Build: false, RunTests: false), _built, cancellationToken);
    }

    public async Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A check that will run generated code says so in every report, the wait for known failures included.
        if (request.Build && _settings.Build) progress = SandboxProgress.Wrap(progress, Sandbox);
        var reuseKey = ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request);
        if (_reusableResults.TryReuse(reuseKey, request) is { } reused)
        {
            progress?.Report(request.ReuseUnchanged ? "unchanged since it was last checked: that result stands" : "already verified (real build, all tests) with the same inputs: that result stands");
            return reused;
        }

        var workspaceState = IsWorkspaceState(request);
        // Only a caller that takes nothing before the whole suite (the CLI) waits for the failures the user already had.
        // An editor's candidate is offered on the tests that reach it, which known outcomes never excuse; its whole-suite
        // confirmation waits for them in the background.
        if (!workspaceState && request.RunTests && !request.ConfirmLater && !request.OnlyTheFilter && !KnownFailuresMeasured.IsCompleted)
        {
            progress?.Report("finding the tests that already fail in your code…");
            await KnownFailuresMeasured.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var result = await VerifyCoreAsync(request, progress, cancellationToken).ConfigureAwait(false);
        if (request.ExcuseFailuresThatFailedBefore && !workspaceState && await _failedBefore.FindAsync(result, progress, cancellationToken).ConfigureAwait(false) is { } before)
        {
            // Every failing test that reaches the change failed the same way before it: checked again with them excused,
            // so the candidate goes on to the whole suite (or its offer) as any passing one.
            progress?.Report($"{before.Tests.Count} failing test(s) failed the same way in {before.Source.Describe()}: not this change's fault");
            result = await VerifyCoreAsync(request with { ExcusedFailures = before.Tests, ExcusedFailuresSource = before.Source }, progress, cancellationToken).ConfigureAwait(false);
        }
        // The user's own code, built and run whole: the newest known outcome of every test.
        if (workspaceState && result.WholeSuite && result.Compiles && IsWorkspaceState(request))
        {
            _knownOutcomes.Record(result.Tests, KnownFailuresSource.CodeAsLastChecked);
        }
        if (ReusableResults.MayKeep(request, result) && ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request) == reuseKey)
        {
            _reusableResults.Add(reuseKey, result);
        }
        return result;
    }

    /// <summary>
    /// The candidate's fork of <paramref name="solution"/>, the same one when the same changes are checked again on it
    /// (a candidate compiled while its tests were still being searched, then checked whole): its compilation and the
    /// diagnostics computed in it are reused rather than bound again.
    /// </summary>
    private CandidateSolution ForkOnce(Solution current, Solution solution, IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _lastFork);
        if (last is not null && ReferenceEquals(last.Current, current) && ReferenceEquals(last.Solution, solution) && last.Changes.Count == changes.Count
            && last.Changes.Zip(changes).All(p => p.First.Path == p.Second.Path && string.Equals(p.First.NewText, p.Second.NewText, StringComparison.Ordinal)))
        {
            return last.Fork;
        }
        // Forked from a recent state: its "new" errors are still told from the current text's, line for line.
        var fork = CandidateSolution.Fork(solution, changes, cancellationToken, linesFrom: current);
        Volatile.Write(ref _lastFork, new LastFork(current, solution, changes, fork));
        return fork;
    }

    /// <summary>
    /// What a candidate is forked from: the solution of a recent state of the overlays when the candidate's changes
    /// return to it exactly (a fix-it that restores the text before a typo: that state's compilation, and the diagnostics
    /// computed in it, are reused), else the current one.
    /// </summary>
    private Solution SolutionToFork(OverlaidSnapshot snapshot, IReadOnlyList<FileChange> changes)
    {
        if (changes.Count == 0) return snapshot.Baseline.Solution;
        var overlays = new Dictionary<string, string>(snapshot.Overlays, StringComparer.Ordinal);
        foreach (var change in changes) overlays[Path.GetFullPath(change.Path)] = change.NewText;
        return _state.RecentSolutionWith(overlays) ?? snapshot.Baseline.Solution;
    }

    private sealed record LastFork(Solution Current, Solution Solution, IReadOnlyList<FileChange> Changes, CandidateSolution Fork);

    /// <summary>True when the request changes nothing: every change is the text the workspace already has.</summary>
    private bool IsWorkspaceState(VerificationRequest request) =>
        request.Changes.All(c => string.Equals(GetText(c.Path), c.NewText, StringComparison.Ordinal));

    private async Task<VerificationResult> VerifyCoreAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var snapshot = _state.Snapshot();
        progress?.Report("compiling in memory…");
        Interlocked.Increment(ref _candidateForks);
        var candidate = ForkOnce(snapshot.Baseline.Solution, SolutionToFork(snapshot, request.Changes), request.Changes, cancellationToken);
        var compiledProjects = new List<ProjectId>();
        var stageWatch = System.Diagnostics.Stopwatch.StartNew();
        var compiled = request.SkipInMemoryCompile
            ? new VerificationResult(VerificationStatus.Passed, [], [])
            : await CandidateCompiler.CompileAsync(snapshot.Baseline, candidate, request, _built, cancellationToken, compiledProjects).ConfigureAwait(false);
        Volatile.Write(ref _lastCompiled, [.. compiledProjects.Select(id => candidate.Solution.GetProject(id)?.Name ?? "?")]);
        _logger.LogDebug("Check timing: compiled {Projects} in {ElapsedMs} ms: {Status}", string.Join(", ", _lastCompiled), stageWatch.ElapsedMilliseconds, compiled.Status);
        if (compiled.Status != VerificationStatus.Passed)
        {
            progress?.Report($"compile errors: {compiled.NewErrorCount}");
            return compiled;
        }
        if (!request.Build || !_settings.Build) return compiled;
        if (Sandbox.Refusal is { } refusal) throw new SandboxUnavailableException(refusal);
        if (request.RunTests && _settings.RunTests && !request.OnlyTheFilter && (request.TestFilter is not null || request.ConfirmLater))
        {
            // The tests of what the candidate changes run first too, not only those of the task's target. Only where
            // some tests run first anyway: without a filter, a request outside the editor means the whole suite (the
            // known outcomes are measured so).
            stageWatch.Restart();
            var impacted = await _impactedTests.FindAsync(snapshot.Baseline.Solution, candidate, cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("Check timing: {Count} tests reach the changed members ({Bounded}) in {ElapsedMs} ms", impacted.Names.Count, impacted.Bounded ? "bounded" : "complete", stageWatch.ElapsedMilliseconds);
            request = request with
            {
                TestFilter = TestFilterTranslation.WithTests(request.TestFilter, impacted.Names),
                ReachingTestsBounded = request.ReachingTestsBounded || impacted.Bounded,
            };
        }
        return await _pipeline.BuildAndTestAsync(request, candidate, snapshot.Overlays, compiled, progress, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _backgroundWorkStarted.TrySetCanceled();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            await LoadConfirmed.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "The confirming load ended with an error at disposal");
        }
        await _pipeline.DisposeAsync().ConfigureAwait(false);
        Volatile.Read(ref _workspace).Dispose();
        _lifetime.Dispose();
    }
}
