using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.Extensions.Logging;

namespace OCI.Workspace.Loading;

/// <summary>
/// The user's solution as MSBuildWorkspace loaded it, and what the load found; or, on a restart with unchanged project
/// inputs, the solution from the <see cref="ProjectLoadCache"/>, with <paramref name="Confirm"/> the MSBuild load that
/// replaces it (the host runs it in the background).
/// </summary>
internal sealed record LoadedWorkspace(
    Microsoft.CodeAnalysis.Workspace Workspace, Solution Solution, WorkspaceLoadReport Report, Func<CancellationToken, Task<LoadedWorkspace>>? Confirm = null);

/// <summary>
/// Loads the solution (or the projects) under a root with Roslyn's MSBuildWorkspace (projects evaluated in its
/// out-of-process build host), restoring first where a project was never restored. Never throws for a project that
/// fails to load: each problem becomes a line of <see cref="WorkspaceLoadReport.Problems"/>, and the rest still works.
/// Callers must have run <see cref="MSBuildRegistration.EnsureRegistered"/> before this type is touched.
/// </summary>
internal static class WorkspaceLoader
{
    /// <summary>
    /// Global properties of every design-time build: the load may write obj/ (as an IDE does) but nothing in bin/.
    /// Test projects' coverage packages hook CoreCompile to write a source-root mapping beside the build output:
    /// coverlet.collector (3.x: the mapping target is named by <c>_CoverletSourceRootTargetName</c>; naming one that does
    /// not exist leaves the mapping empty, and an empty mapping is not written) and Microsoft.CodeCoverage (17.x+).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> DesignTimeBuildProperties = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["_CoverletSourceRootTargetName"] = "OciNoCoverletSourceRootMappingAtDesignTime",
        ["DisableMsCoverageReferencedPathMaps"] = "true",
    };

    /// <summary>
    /// The solution from the load cache when its inputs are unchanged (MSBuild confirms later, through
    /// <see cref="LoadedWorkspace.Confirm"/>), else loaded by MSBuildWorkspace now (and the cache written for the next start).
    /// </summary>
    public static async Task<LoadedWorkspace> LoadAsync(
        string rootPath,
        VerificationSettings settings,
        ILogger logger,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var root = Path.GetFullPath(rootPath);
        var entry = WorkspaceDiscovery.Find(root, preferredSolution: settings.Solution);
        var workspaceRoot = Directory.Exists(root) ? root : Path.GetDirectoryName(root)!;
        var cachePath = ProjectLoadCache.PathFor(workspaceRoot, settings.ShadowRoot);
        if (settings.ProjectLoadCache && ProjectLoadCache.TryLoad(cachePath, workspaceRoot, entry.SolutionPath, logger) is { } cached)
        {
            logger.LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "solution from the load cache", watch.ElapsedMilliseconds);
            var what = entry.SolutionPath is not null ? Path.GetFileName(entry.SolutionPath) : $"{cached.Report.LoadedProjects.Count} project(s)";
            progress?.Report($"loading {what} from the load cache; MSBuild confirms in the background");
            progress?.Report($"loaded {cached.Report.LoadedProjects.Count} project(s) from the load cache");
            return new LoadedWorkspace(cached.Workspace, cached.Solution, cached.Report,
                token => LoadWithMSBuildAsync(root, workspaceRoot, entry, cachePath, settings, logger, progress: null, token));
        }
        return await LoadWithMSBuildAsync(root, workspaceRoot, entry, cachePath, settings, logger, progress, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LoadedWorkspace> LoadWithMSBuildAsync(
        string root,
        string workspaceRoot,
        WorkspaceEntryPoints entry,
        string cachePath,
        VerificationSettings settings,
        ILogger logger,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // The design-time build runs in the build host process: JIT the compiler here meanwhile (once per process).
        CompilerWarmUp.Start(logger);
        var problems = new List<string>();
        if (entry.ChoiceNotice is { } notice) problems.Add(notice);

        if (settings.RestoreOnLoad)
        {
            await RestoreOnLoad.RestoreIfNeededAsync(workspaceRoot, entry, settings, progress, problems, logger, cancellationToken).ConfigureAwait(false);
        }
        logger.LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "discovery and restore check", watch.ElapsedMilliseconds);

        var workspace = MSBuildWorkspace.Create(new Dictionary<string, string>(DesignTimeBuildProperties, StringComparer.Ordinal));
        var problemLine = new LoadProblemLine();
        workspace.RegisterWorkspaceFailedHandler(e =>
        {
            var line = problemLine.For(e.Diagnostic);
            lock (problems) problems.Add(line);
            logger.LogWarning("Workspace load: {Problem}", line);
        });
        var loadProgress = new Progress<ProjectLoadProgress>(p =>
        {
            logger.LogDebug("Load timing: {Operation} {Project} ({TargetFramework}) took {OperationMs} ms, at {ElapsedMs} ms",
                p.Operation, Path.GetFileName(p.FilePath), p.TargetFramework, (long)p.ElapsedTime.TotalMilliseconds, watch.ElapsedMilliseconds);
            if (p.Operation == ProjectLoadOperation.Resolve)
                progress?.Report($"loaded {Path.GetFileName(p.FilePath)}{(p.TargetFramework is null ? "" : $" ({p.TargetFramework})")}");
        });

        if (entry.SolutionPath is not null)
        {
            progress?.Report($"loading {Path.GetFileName(entry.SolutionPath)}…");
            try
            {
                await workspace.OpenSolutionAsync(entry.SolutionPath, loadProgress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (problems) problems.Add($"error: could not load solution {entry.SolutionPath}: {e.Message}");
                logger.LogError(e, "Loading {Solution} failed", entry.SolutionPath);
            }
        }
        else
        {
            if (entry.ProjectPaths.Count == 0) problems.Add($"error: no .sln, .slnx or .csproj found under {root}");
            foreach (var project in entry.ProjectPaths)
            {
                if (workspace.CurrentSolution.Projects.Any(p => string.Equals(p.FilePath, project, StringComparison.Ordinal))) continue;
                progress?.Report($"loading {Path.GetFileName(project)}…");
                try
                {
                    await workspace.OpenProjectAsync(project, loadProgress, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    lock (problems) problems.Add($"error: could not load project {project}: {e.Message}");
                    logger.LogError(e, "Loading {Project} failed", project);
                }
            }
        }

        var solution = workspace.CurrentSolution;
        logger.LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "MSBuildWorkspace loaded", watch.ElapsedMilliseconds);
        List<string> problemLines;
        lock (problems) problemLines = [.. problems.Distinct(StringComparer.Ordinal)];
        // MSBuildWorkspace keeps an empty project for one it could not evaluate; it did not load, so it is not listed. A
        // project with sources loaded, whatever its errors (a package that did not restore still leaves its code to work on).
        var loaded = solution.Projects
            .Where(p => p.DocumentIds.Count > 0 || !problemLines.Any(l => LoadProblemLine.IsErrorAbout(l, p.FilePath ?? p.Name)))
            .Select(p => p.FilePath ?? p.Name)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        progress?.Report($"loaded {loaded.Count} project(s){(problemLines.Count > 0 ? $", {problemLines.Count} problem(s)" : "")}");
        var report = new WorkspaceLoadReport(workspaceRoot, loaded, problemLines);
        if (settings.ProjectLoadCache)
        {
            _ = Task.Run(() => ProjectLoadCache.Save(cachePath, entry.SolutionPath, solution, report, logger), CancellationToken.None);
        }
        return new LoadedWorkspace(workspace, solution, report);
    }
}
