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
    private int _reusedResults;

    private MSBuildWorkspaceHost(Microsoft.CodeAnalysis.Workspace workspace, Solution solution, WorkspaceLoadReport report, VerificationSettings settings, ILogger logger)
    {
        _workspace = workspace;
        _settings = settings;
        _logger = logger;
        LoadReport = report;
        _state = new OverlaidSolution(solution);
        Sandbox = ProcessSandbox.Create(settings.Sandbox, settings.BubblewrapPath);
        _pipeline = new ShadowVerificationPipeline(report.Root, settings, Sandbox, GetText, logger);
    }

    public WorkspaceLoadReport LoadReport { get; }

    /// <summary>How the build and the tests (generated code) are contained (<see cref="VerificationSettings.Sandbox"/>).</summary>
    public ProcessSandbox Sandbox { get; }

    /// <summary>MSBuild builds this host has run in its shadow copy (tests count the work a check did).</summary>
    internal int BuildRuns => _pipeline.BuildRuns;

    /// <summary>Test runs (warm host or dotnet test) this host has started.</summary>
    internal int TestRuns => _pipeline.TestRuns;

    /// <summary>Checks answered with the result of an earlier check of the same inputs (<see cref="VerificationRequest.ReuseUnchanged"/>).</summary>
    internal int ReusedResults => Volatile.Read(ref _reusedResults);

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
        return CandidateCompiler.CompileAsync(baseline, candidate, new VerificationRequest(changes, Build: false, RunTests: false), cancellationToken);
    }

    public async Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reuseKey = request.ReuseUnchanged ? ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request) : null;
        if (reuseKey is not null && _reusableResults.TryGet(reuseKey) is { } reused)
        {
            Interlocked.Increment(ref _reusedResults);
            progress?.Report("unchanged since it was last checked: that result stands");
            return reused with { CompileTime = TimeSpan.Zero, BuildTime = TimeSpan.Zero, TestTime = TimeSpan.Zero };
        }

        var result = await VerifyCoreAsync(request, progress, cancellationToken).ConfigureAwait(false);
        // Kept only if nothing changed while it ran (the key is taken again), and only facts about the code.
        if (reuseKey is not null
            && result.Status is VerificationStatus.Passed or VerificationStatus.TestsFailed or VerificationStatus.CompileErrors
            && ReusableResults.InputKey(LoadReport.Root, _state.Snapshot().Overlays, request) == reuseKey)
        {
            _reusableResults.Add(reuseKey, result);
        }
        return result;
    }

    private async Task<VerificationResult> VerifyCoreAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.Build && _settings.Build) progress = SandboxProgress.Wrap(progress, Sandbox); // it will run generated code
        var snapshot = _state.Snapshot();
        progress?.Report("compiling in memory…");
        var candidate = CandidateSolution.Fork(snapshot.Baseline.Solution, request.Changes, cancellationToken);
        var compiled = await CandidateCompiler.CompileAsync(snapshot.Baseline, candidate, request, cancellationToken).ConfigureAwait(false);
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
