using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Compilation;
using OCI.Workspace.DiskChanges;
using OCI.Workspace.Loading;
using OCI.Workspace.Processes;
using OCI.Workspace.Shadow;
using OCI.Workspace.SolutionState;
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
    private readonly Microsoft.CodeAnalysis.Workspace _workspace;
    private readonly OverlaidSolution _state;
    private readonly ShadowVerificationPipeline _pipeline;
    private readonly VerificationSettings _settings;
    private readonly ILogger _logger;
    private readonly ReusableResults _reusableResults = new(capacity: 8);
    private readonly KnownTestOutcomes _knownOutcomes = new();
    private readonly BuiltProjects _built = new();
    private IReadOnlyList<string> _lastCompiled = [];
    private int _reusedResults;
    private int _candidateForks;

    private MSBuildWorkspaceHost(Microsoft.CodeAnalysis.Workspace workspace, Solution solution, WorkspaceLoadReport report, VerificationSettings settings, ILogger logger)
    {
        _workspace = workspace;
        _settings = settings;
        _logger = logger;
        LoadReport = report;
        _state = new OverlaidSolution(solution);
        Sandbox = ProcessSandbox.Create(settings.Sandbox, settings.BubblewrapPath);
        _pipeline = new ShadowVerificationPipeline(report.Root, settings, Sandbox, _knownOutcomes, _built, GetText, logger);
    }

    public WorkspaceLoadReport LoadReport { get; }

    /// <summary>How the build and the tests (generated code) are contained (<see cref="VerificationSettings.Sandbox"/>).</summary>
    public ProcessSandbox Sandbox { get; }

    /// <summary>MSBuild builds this host has run in its shadow copy (tests count the work a check did).</summary>
    internal int BuildRuns => _pipeline.BuildRuns;

    /// <summary>Test runs (warm host or dotnet test) this host has started.</summary>
    internal int TestRuns => _pipeline.TestRuns;

    /// <summary>Test support: holds the shadow copy as a check someone waits for would, until the lease is disposed.</summary>
    internal async Task<IDisposable> HoldShadowAsync(CancellationToken cancellationToken) => await _pipeline.HoldAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The projects the last check compiled in full (not those that compile as built: <see cref="BuiltProjects"/>).</summary>
    internal IReadOnlyList<string> LastCompiledProjects => Volatile.Read(ref _lastCompiled);

    /// <summary>The projects the last fast round emitted.</summary>
    internal IReadOnlyList<string> LastEmittedProjects => _pipeline.LastEmitted;

    /// <summary>Checks answered with the result of an earlier check of the same inputs (<see cref="VerificationRequest.ReuseUnchanged"/>).</summary>
    internal int ReusedResults => Volatile.Read(ref _reusedResults);

    /// <summary>Candidate solutions forked (one per check: its compile, emit and test selection share it).</summary>
    internal int CandidateForks => Volatile.Read(ref _candidateForks);

    /// <summary>The background measurement of the tests that already fail (<see cref="VerificationSettings.KnownFailuresOnLoad"/>).</summary>
    internal Task KnownFailuresMeasured { get; private set; } = Task.CompletedTask;

    /// <summary>Where the known test outcomes come from, and how many tests they cover (null before any measurement).</summary>
    internal (string? Source, int Tests) KnownOutcomes => (_knownOutcomes.Source, _knownOutcomes.Count);

    public Solution CurrentSolution => _state.Solution;

    /// <summary>
    /// Loads the solution (or the projects) under <paramref name="rootPath"/>. Never throws for a project that fails to
    /// load: each problem becomes a line of <see cref="WorkspaceLoadReport.Problems"/>, and the rest still works.
    /// </summary>
    public static Task<MSBuildWorkspaceHost> OpenAsync(
        string rootPath,
        VerificationSettings settings,
        ILoggerFactory loggerFactory,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        // Must run before any method that mentions an MSBuild type is compiled: see MSBuildRegistration.
        MSBuildRegistration.EnsureRegistered();
        return OpenCoreAsync(rootPath, settings, loggerFactory, progress, cancellationToken);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<MSBuildWorkspaceHost> OpenCoreAsync(
        string rootPath,
        VerificationSettings settings,
        ILoggerFactory loggerFactory,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<MSBuildWorkspaceHost>();
        var loaded = await WorkspaceLoader.LoadAsync(rootPath, settings, logger, progress, cancellationToken).ConfigureAwait(false);
        var host = new MSBuildWorkspaceHost(loaded.Workspace, loaded.Solution, loaded.Report, settings, logger);
        host.WarmUp();
        if (settings.KnownFailuresOnLoad && settings.Build && settings.RunTests) host.KnownFailuresMeasured = host.MeasureKnownFailuresAsync();
        return host;
    }

    /// <summary>Builds the baseline compilations in the background so the first check is already warm.</summary>
    private void WarmUp()
    {
        var baseline = _state.Baseline;
        _ = Task.Run(async () =>
        {
            foreach (var project in baseline.Solution.Projects)
            {
                try
                {
                    await baseline.GetDiagnosticsAsync(project.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    _logger.LogDebug(e, "Warm-up of {Project} failed", project.Name);
                }
            }
        });
    }

    /// <summary>
    /// Builds the code as loaded and runs its whole suite (through the same pipeline as any check), so the tests that
    /// already fail are known before the first candidate is judged; when the code does not compile, measures the
    /// committed HEAD instead. In the background: a failure only leaves nothing known.
    /// </summary>
    private Task MeasureKnownFailuresAsync() => Task.Run(async () =>
    {
        try
        {
            var loaded = await VerifyAsync(new VerificationRequest([]) { ReuseUnchanged = true }, progress: null, CancellationToken.None).ConfigureAwait(false);
            if (loaded.Compiles && loaded.WholeSuite)
            {
                _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail in your code as loaded", loaded.FailedTests, loaded.Tests.Count);
                return;
            }
            var timeout = TimeSpan.FromSeconds(30);
            if (await CommittedHead.ChangesBackToHeadAsync(LoadReport.Root, timeout, CancellationToken.None).ConfigureAwait(false) is not { Count: > 0 } head)
            {
                _logger.LogInformation("Known test outcomes: none (your code does not compile at load and there is no committed HEAD to measure)");
                return;
            }
            var committed = await VerifyCoreAsync(new VerificationRequest(head), progress: null, CancellationToken.None).ConfigureAwait(false);
            if (committed.Compiles && committed.WholeSuite)
            {
                _knownOutcomes.Record(committed.Tests, "the committed HEAD");
                _logger.LogInformation("Known test outcomes: {Failed} of {Tests} tests fail at the committed HEAD", committed.FailedTests, committed.Tests.Count);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Measuring the tests that already fail did not finish");
        }
    });

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
        // Identical inputs were checked before: the baseline takes any earlier result; an editor's candidate takes one
        // that went further than it asks (the real build and the whole suite: a fix-it verified it in the background),
        // or a failure (compile errors, failing tests), which no further stage could turn into a pass.
        var reuseKey = ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request);
        if ((request.ReuseUnchanged || request.ConfirmLater) && _reusableResults.TryGet(reuseKey) is { } reused
            && (request.ReuseUnchanged || ReusableResults.IsComplete(reused) || ReusableResults.IsFailure(reused)))
        {
            Interlocked.Increment(ref _reusedResults);
            progress?.Report(request.ReuseUnchanged ? "unchanged since it was last checked: that result stands" : "already verified (real build, all tests) with the same inputs: that result stands");
            return reused with { CompileTime = TimeSpan.Zero, BuildTime = TimeSpan.Zero, TestTime = TimeSpan.Zero };
        }

        var workspaceState = IsWorkspaceState(request);
        if (!workspaceState && request.RunTests && !KnownFailuresMeasured.IsCompleted)
        {
            // A candidate is judged against the failures the user already had: wait until they are known.
            progress?.Report("finding the tests that already fail in your code…");
            await KnownFailuresMeasured.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var result = await VerifyCoreAsync(request, progress, cancellationToken).ConfigureAwait(false);
        // The user's own code, built and run whole: the newest known outcome of every test.
        if (workspaceState && result.WholeSuite && result.Compiles && IsWorkspaceState(request))
        {
            _knownOutcomes.Record(result.Tests, "your code as it was last checked");
        }
        // Kept only if nothing changed while it ran (the key is taken again), and only facts about the code; a candidate's
        // only when complete or failed (a baseline's always: it is what every command checks first).
        if (result.Status is VerificationStatus.Passed or VerificationStatus.TestsFailed or VerificationStatus.CompileErrors
            && result.PendingConfirmation is null
            && (request.ReuseUnchanged || ReusableResults.IsComplete(result) || ReusableResults.IsFailure(result))
            && ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request) == reuseKey)
        {
            _reusableResults.Add(reuseKey, result);
        }
        return result;
    }

    /// <summary>True when the request changes nothing: every change is the text the workspace already has.</summary>
    private bool IsWorkspaceState(VerificationRequest request) =>
        request.Changes.All(c => string.Equals(GetText(c.Path), c.NewText, StringComparison.Ordinal));

    private async Task<VerificationResult> VerifyCoreAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var snapshot = _state.Snapshot();
        progress?.Report("compiling in memory…");
        Interlocked.Increment(ref _candidateForks);
        var candidate = CandidateSolution.Fork(snapshot.Baseline.Solution, request.Changes, cancellationToken);
        var compiledProjects = new List<ProjectId>();
        var compiled = await CandidateCompiler.CompileAsync(snapshot.Baseline, candidate, request, _built, cancellationToken, compiledProjects).ConfigureAwait(false);
        Volatile.Write(ref _lastCompiled, [.. compiledProjects.Select(id => candidate.Solution.GetProject(id)?.Name ?? "?")]);
        if (compiled.Status != VerificationStatus.Passed)
        {
            progress?.Report($"compile errors: {compiled.NewErrorCount}");
            return compiled;
        }
        if (!request.Build || !_settings.Build) return compiled;
        if (Sandbox.Refusal is { } refusal) throw new SandboxUnavailableException(refusal);
        return await _pipeline.BuildAndTestAsync(request, candidate, snapshot.Overlays, compiled, progress, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _pipeline.DisposeAsync().ConfigureAwait(false);
        _workspace.Dispose();
    }
}
