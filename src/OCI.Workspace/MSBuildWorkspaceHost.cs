using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Building;
using OCI.Workspace.Compilation;
using OCI.Workspace.Loading;
using OCI.Workspace.Processes;
using OCI.Workspace.Shadow;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace;

/// <summary>
/// The user's solution loaded with Roslyn's MSBuildWorkspace (projects evaluated in its out-of-process build host),
/// with editor buffers overlaid. Candidates are checked in memory by forking the immutable <see cref="Solution"/>
/// (Roslyn reuses the baseline compilation and re-parses only the changed documents), then built and tested for real in
/// a warm <see cref="ShadowWorkspace"/>. The Roslyn workspace's TryApplyChanges (which writes to disk) is never called:
/// the host keeps its own solution snapshot, so nothing here can write to the user's files.
/// </summary>
public sealed class MSBuildWorkspaceHost : IWorkspaceHost
{
    private readonly Microsoft.CodeAnalysis.Workspace _workspace;
    private readonly VerificationSettings _settings;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _overlays = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _shadowGate = new(1, 1);
    private Baseline _baseline;
    private ShadowWorkspace? _shadow;
    private TestRoundRunner? _testRunner;
    private IsolationScope? _scope;
    private bool _shadowBuilt;
    private readonly ReusableResults _reusableResults = new(capacity: 8);
    private int _buildRuns;
    private int _testRuns;
    private int _reusedResults;

    private MSBuildWorkspaceHost(Microsoft.CodeAnalysis.Workspace workspace, Solution solution, WorkspaceLoadReport report, VerificationSettings settings, ILogger logger)
    {
        _workspace = workspace;
        _settings = settings;
        _logger = logger;
        LoadReport = report;
        _baseline = new Baseline(solution);
        Sandbox = ProcessSandbox.Create(settings.Sandbox, settings.BubblewrapPath);
    }

    public WorkspaceLoadReport LoadReport { get; }

    /// <summary>How the build and the tests (generated code) are contained (<see cref="VerificationSettings.Sandbox"/>).</summary>
    public ProcessSandbox Sandbox { get; }

    /// <summary>MSBuild builds this host has run in its shadow copy (tests count the work a check did).</summary>
    internal int BuildRuns => Volatile.Read(ref _buildRuns);

    /// <summary>Test runs (warm host or dotnet test) this host has started.</summary>
    internal int TestRuns => Volatile.Read(ref _testRuns);

    /// <summary>Checks answered with the result of an earlier check of the same inputs (<see cref="VerificationRequest.ReuseUnchanged"/>).</summary>
    internal int ReusedResults => Volatile.Read(ref _reusedResults);

    public Solution CurrentSolution
    {
        get { lock (_gate) return _baseline.Solution; }
    }

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
        var root = Path.GetFullPath(rootPath);
        var entry = WorkspaceDiscovery.Find(root);
        var workspaceRoot = Directory.Exists(root) ? root : Path.GetDirectoryName(root)!;
        var problems = new List<string>();

        if (settings.RestoreOnLoad)
        {
            await RestoreIfNeededAsync(workspaceRoot, entry, settings, progress, problems, logger, cancellationToken).ConfigureAwait(false);
        }

        var workspace = MSBuildWorkspace.Create();
        workspace.RegisterWorkspaceFailedHandler(e =>
        {
            var line = $"{(e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure ? "error" : "warning")}: {e.Diagnostic.Message}";
            lock (problems) problems.Add(line);
            logger.LogWarning("Workspace load: {Problem}", line);
        });
        var loadProgress = new Progress<ProjectLoadProgress>(p =>
        {
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
        List<string> problemLines;
        lock (problems) problemLines = [.. problems.Distinct(StringComparer.Ordinal)];
        // MSBuildWorkspace keeps an empty project for one it could not evaluate; it did not load, so it is not listed.
        var loaded = solution.Projects
            .Select(p => p.FilePath ?? p.Name)
            .Where(path => !problemLines.Any(l => l.StartsWith("error:", StringComparison.Ordinal) && l.Contains($"'{path}'", StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        progress?.Report($"loaded {loaded.Count} project(s){(problemLines.Count > 0 ? $", {problemLines.Count} problem(s)" : "")}");
        var report = new WorkspaceLoadReport(workspaceRoot, loaded, problemLines);
        var host = new MSBuildWorkspaceHost(workspace, solution, report, settings, logger);
        host.WarmUp();
        return host;
    }

    /// <summary>
    /// Restores when a project has no obj/project.assets.json: without it the design-time build cannot resolve package
    /// references and every type from a package would be an error. This writes obj/ in the user's tree — what any
    /// IDE's automatic restore or a first <c>dotnet build</c> does — and runs only the user's own project files, never
    /// generated code. Bounded by the build timeout; a failure becomes a load problem, not an exception.
    /// </summary>
    private static async Task RestoreIfNeededAsync(
        string root, WorkspaceEntryPoints entry, VerificationSettings settings, IProgress<string>? progress,
        List<string> problems, ILogger logger, CancellationToken cancellationToken)
    {
        var projects = WorkspaceDiscovery.FindProjects(root);
        var missing = projects.Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))).ToList();
        if (missing.Count == 0) return;
        progress?.Report($"restoring packages ({missing.Count} project(s) not restored)…");
        var target = entry.SolutionPath ?? (entry.ProjectPaths.Count == 1 ? entry.ProjectPaths[0] : null);
        var targets = target is not null ? [target] : missing;
        foreach (var item in targets)
        {
            var result = await ProcessRunner.RunAsync(
                "dotnet", ["restore", item, "-nologo", "-tl:off", "-v:q", "-clp:NoSummary;ForceNoAlign", "-nodeReuse:false"],
                root, TimeSpan.FromSeconds(settings.BuildTimeoutSeconds), cancellationToken).ConfigureAwait(false);
            if (result.Succeeded) continue;
            if (result.TimedOut)
            {
                problems.Add($"error: restore of {item} timed out after {settings.BuildTimeoutSeconds} s");
                continue;
            }
            foreach (var diagnostic in BuildOutputParser.Parse(result.StandardOutput + "\n" + result.StandardError).Where(d => d.Severity == DiagnosticSeverityLevel.Error))
            {
                problems.Add($"error: restore failed: {diagnostic.Path}{(diagnostic.Line > 0 ? $"({diagnostic.Line},{diagnostic.Column})" : "")}: {diagnostic.Id}: {diagnostic.Message}");
            }
            logger.LogWarning("Restore of {Item} failed with exit code {Code}", item, result.ExitCode);
        }
        // A solution restore stops at a broken project; restore the good ones that are still missing on their own.
        if (target is not null && targets.Count == 1 && entry.SolutionPath is not null)
        {
            foreach (var project in missing.Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))))
            {
                var result = await ProcessRunner.RunAsync(
                    "dotnet", ["restore", project, "-nologo", "-tl:off", "-v:q", "-clp:NoSummary;ForceNoAlign", "-nodeReuse:false"],
                    root, TimeSpan.FromSeconds(settings.BuildTimeoutSeconds), cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded) problems.Add($"error: restore needed: {project} could not be restored (see the error above); its package references will not resolve");
            }
        }
    }

    /// <summary>Builds the baseline compilations in the background so the first check is already warm.</summary>
    private void WarmUp()
    {
        var baseline = _baseline;
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

    public void SetOverlay(string path, string text)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            _overlays[full] = text;
            var solution = _baseline.Solution;
            foreach (var id in solution.GetDocumentIdsWithFilePath(full))
            {
                solution = solution.WithDocumentText(id, SourceText.From(text, System.Text.Encoding.UTF8));
            }
            _baseline = new Baseline(solution);
        }
    }

    public void RemoveOverlay(string path)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            if (!_overlays.Remove(full)) return;
            ReloadFromDiskLocked(full);
        }
    }

    /// <summary>The file changed on disk (saved, checked out): take its disk text unless an overlay hides it.</summary>
    public void NotifyFileChanged(string path)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            if (_overlays.ContainsKey(full)) return;
            ReloadFromDiskLocked(full);
        }
    }

    private void ReloadFromDiskLocked(string full)
    {
        var solution = _baseline.Solution;
        var ids = solution.GetDocumentIdsWithFilePath(full);
        if (ids.IsEmpty || !File.Exists(full)) return;
        var text = SourceText.From(File.ReadAllText(full), System.Text.Encoding.UTF8);
        foreach (var id in ids) solution = solution.WithDocumentText(id, text);
        _baseline = new Baseline(solution);
    }

    public string? GetText(string path)
    {
        var full = Path.GetFullPath(path);
        Solution solution;
        lock (_gate)
        {
            if (_overlays.TryGetValue(full, out var overlay)) return overlay;
            solution = _baseline.Solution;
        }
        var id = solution.GetDocumentIdsWithFilePath(full).FirstOrDefault();
        if (id is not null && solution.GetDocument(id) is { } document && document.TryGetText(out var cached)) return cached.ToString();
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public async Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var stopwatch = Stopwatch.StartNew();
        Baseline baseline;
        lock (_gate) baseline = _baseline;

        var (forked, changedProjects, lineMaps, notInProject) = Fork(baseline.Solution, changes, cancellationToken);
        var affected = TestProjectDiscovery.Affected(forked, changedProjects);
        var order = forked.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(affected.Contains).ToList();

        var perProject = await Task.WhenAll(order.Select(async id =>
        {
            var before = baseline.Solution.GetProject(id) is null
                ? []
                : await baseline.GetDiagnosticsAsync(id, cancellationToken).ConfigureAwait(false);
            var compilation = await forked.GetProject(id)!.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var after = compilation is null ? [] : RoslynDiagnostics.Convert(compilation.GetDiagnostics(cancellationToken));
            return DiagnosticBaseline.MarkNew(before, after, p => p is not null && lineMaps.TryGetValue(p, out var map) ? map : LineMap.Identity);
        })).ConfigureAwait(false);

        // Multi-targeted projects report the same diagnostic once per framework: keep one.
        var diagnostics = perProject.SelectMany(d => d)
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error || d.IsNew)
            .Distinct()
            .OrderByDescending(d => d.IsNew)
            .ThenByDescending(d => d.Severity)
            .ThenBy(d => d.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
        stopwatch.Stop();
        var newErrors = diagnostics.Count(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error);
        var message = notInProject.Count > 0 ? $"not part of any loaded project (not compiled): {string.Join(", ", notInProject)}" : null;
        return new VerificationResult(
            newErrors > 0 ? VerificationStatus.CompileErrors : VerificationStatus.Passed,
            diagnostics, [], message, CompileTime: stopwatch.Elapsed);
    }

    private (Solution Forked, HashSet<ProjectId> ChangedProjects, Dictionary<string, LineMap> LineMaps, List<string> NotInProject) Fork(
        Solution solution, IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var changedProjects = new HashSet<ProjectId>();
        var lineMaps = new Dictionary<string, LineMap>(StringComparer.Ordinal);
        var notInProject = new List<string>();
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = Path.GetFullPath(change.Path);
            var ids = solution.GetDocumentIdsWithFilePath(full);
            if (!ids.IsEmpty)
            {
                var oldText = solution.GetDocument(ids[0])!.GetTextAsync(cancellationToken).GetAwaiter().GetResult().ToString();
                lineMaps[full] = LineMap.Create(oldText, change.NewText);
                foreach (var id in ids)
                {
                    solution = solution.WithDocumentText(id, SourceText.From(change.NewText, System.Text.Encoding.UTF8));
                    changedProjects.Add(id.ProjectId);
                }
                continue;
            }
            if (!full.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                notInProject.Add(full);
                continue;
            }
            // A new C# file: it belongs to the projects whose folder holds it most closely (SDK projects glob **/*.cs).
            var owners = solution.Projects
                .Where(p => p.FilePath is not null && ShadowWorkspace.IsInside(full, Path.GetDirectoryName(p.FilePath)!))
                .GroupBy(p => Path.GetDirectoryName(p.FilePath)!.Length)
                .OrderByDescending(g => g.Key)
                .FirstOrDefault();
            if (owners is null)
            {
                notInProject.Add(full);
                continue;
            }
            foreach (var project in owners)
            {
                var documentId = DocumentId.CreateNewId(project.Id, full);
                solution = solution.AddDocument(documentId, Path.GetFileName(full), SourceText.From(change.NewText, System.Text.Encoding.UTF8), filePath: full);
                changedProjects.Add(project.Id);
            }
        }
        return (solution, changedProjects, lineMaps, notInProject);
    }

    public async Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reuseKey = request.ReuseUnchanged ? InputKey(request) : null;
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
            && InputKey(request) == reuseKey)
        {
            _reusableResults.Add(reuseKey, result);
        }
        return result;
    }

    private async Task<VerificationResult> VerifyCoreAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.Build && _settings.Build) progress = SandboxProgress.Wrap(progress, Sandbox); // it will run generated code
        progress?.Report("compiling in memory…");
        var compiled = await CompileAsync(request.Changes, cancellationToken).ConfigureAwait(false);
        if (compiled.Status != VerificationStatus.Passed)
        {
            progress?.Report($"compile errors: {compiled.NewErrorCount}");
            return compiled;
        }
        if (!request.Build || !_settings.Build) return compiled;
        if (Sandbox.Refusal is { } refusal) throw new SandboxUnavailableException(refusal);

        await _shadowGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await BuildAndTestAsync(request, compiled, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _shadowGate.Release();
        }
    }

    /// <summary>
    /// What a check's result depends on: the workspace's files and the editor's overlays as the shadow copy would see
    /// them (<see cref="ShadowWorkspace.InputFingerprint"/>), the candidate's changes, the stages and the test filter.
    /// The settings are fixed per host.
    /// </summary>
    private string InputKey(VerificationRequest request)
    {
        Dictionary<string, string> texts;
        lock (_gate) texts = new Dictionary<string, string>(_overlays, StringComparer.Ordinal);
        foreach (var change in request.Changes) texts[Path.GetFullPath(change.Path)] = change.NewText;
        var changed = string.Join("\0", request.Changes.Select(c => Path.GetFullPath(c.Path)).Order(StringComparer.Ordinal));
        return $"{ShadowWorkspace.InputFingerprint(LoadReport.Root, texts)}|{changed}|{request.Build}|{request.RunTests}|{request.TestFilter}";
    }

    private async Task<VerificationResult> BuildAndTestAsync(VerificationRequest request, VerificationResult compiled, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Baseline baseline;
        Dictionary<string, string> texts;
        lock (_gate)
        {
            baseline = _baseline;
            texts = new Dictionary<string, string>(_overlays, StringComparer.Ordinal);
        }
        foreach (var change in request.Changes) texts[Path.GetFullPath(change.Path)] = change.NewText;

        if (_shadow is null)
        {
            progress?.Report("copying the workspace to its shadow copy…");
            _shadow = ShadowWorkspace.Create(LoadReport.Root, _settings.ShadowRoot);
            _scope = IsolationScope.ForShadow(Sandbox, _shadow.Container, _shadow.HomeDirectory, _shadow.TempDirectory, LoadReport.Root);
            _testRunner = new TestRoundRunner(_shadow.Root, _scope, _settings.WarmTestHost, _logger);
        }
        var shadow = _shadow;
        var sync = shadow.Synchronize(texts, cancellationToken);
        _logger.LogDebug("Shadow sync wrote {Written} and deleted {Deleted} file(s)", sync.WrittenFiles.Count, sync.DeletedFiles.Count);

        var (forked, changedProjects, _, _) = Fork(baseline.Solution, request.Changes, cancellationToken);
        var runTests = request.RunTests && _settings.RunTests;
        var affected = changedProjects.Count == 0 ? forked.ProjectIds.ToHashSet() : TestProjectDiscovery.Affected(forked, changedProjects);
        var tops = TestProjectDiscovery.BuildTops(forked, affected);
        var buildTargets = tops.Select(p => shadow.ToShadowPath(p.FilePath!)).ToList();

        var testProjects = TestProjectDiscovery.Find(forked, changedProjects);

        // Time the fast round spent before a passing candidate is confirmed: counted into the result's build and test times.
        var fastBuildTime = TimeSpan.Zero;
        var fastTestTime = TimeSpan.Zero;
        var fastTestsPassed = false;

        // Fast round: emit from the warm compilations instead of running MSBuild. Failing tests end the round here; a
        // candidate whose tests pass is confirmed below by the real build and test run.
        if (runTests && _settings.FastTestRounds && _shadowBuilt && !sync.ProjectFilesChanged && testProjects.Count > 0
            && affected.All(id => forked.GetProject(id) is { } p && InMemoryEmitter.CanEmit(p, LoadReport.Root)))
        {
            var emitWatch = Stopwatch.StartNew();
            var order = forked.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(affected.Contains).ToList();
            progress?.Report("building in memory…");
            var emitProblem = await InMemoryEmitter.EmitAsync(forked, order, shadow, cancellationToken).ConfigureAwait(false);
            if (emitProblem is not null)
            {
                _logger.LogInformation("In-memory build not possible, using MSBuild: {Problem}", emitProblem);
                progress?.Report("in-memory build not possible: " + emitProblem);
            }
            else
            {
                emitWatch.Stop();
                var fast = await RunTestsAsync(request.TestFilter, compiled, compiled.Diagnostics, testProjects, shadow, emitWatch.Elapsed, progress, cancellationToken).ConfigureAwait(false);
                if (fast.Status != VerificationStatus.Passed) return fast with { Message = fast.Message ?? "built in memory (fast round)" };
                fastBuildTime = emitWatch.Elapsed;
                fastTestTime = fast.TestTime;
                fastTestsPassed = true;
                progress?.Report("tests pass; confirming with a real build…");
            }
            _shadowBuilt = false; // outputs now come from the emitter: let MSBuild see the sources as newer
            shadow.TouchSources(request.Changes.Select(c => c.Path));
        }

        progress?.Report(shadow.NeedsRestore ? "restoring and building…" : "building…");
        Interlocked.Increment(ref _buildRuns);
        var build = await DotnetBuild.BuildAsync(
            buildTargets, shadow.Root, shadow.NeedsRestore, TimeSpan.FromSeconds(_settings.BuildTimeoutSeconds),
            p => shadow.ToUserPath(p) ?? p, _scope!, cancellationToken).ConfigureAwait(false);
        if (build.Succeeded)
        {
            shadow.NeedsRestore = false;
            _shadowBuilt = true;
        }
        var buildErrors = build.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error)
            .Select(d => WithSourceLine(d, texts))
            .ToList();
        var diagnostics = compiled.Diagnostics.Concat(buildErrors).ToList();
        if (build.TimedOut)
        {
            progress?.Report("build timed out");
            return compiled with
            {
                Status = VerificationStatus.TimedOut, Diagnostics = diagnostics,
                Message = $"the build did not finish within {_settings.BuildTimeoutSeconds} s and was stopped",
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000), BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime,
            };
        }
        if (!build.Succeeded)
        {
            var compilerErrors = buildErrors.Any(BuildOutputParser.IsCompilerDiagnostic);
            progress?.Report($"build failed: {buildErrors.Count} error(s)");
            return compiled with
            {
                Status = compilerErrors ? VerificationStatus.CompileErrors : VerificationStatus.BuildSystemError,
                Diagnostics = diagnostics,
                Message = buildErrors.Count == 0 ? "the build failed without a diagnostic line (see output)" : "the build failed",
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000),
                BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime,
            };
        }
        if (!runTests) return compiled with { Diagnostics = diagnostics, BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime };

        // Confirming a fast round whose relevant tests and then all tests passed: all tests once on MSBuild's output (the
        // relevant ones are among them; running them first again would only repeat what the fast round already said).
        var confirmFilter = fastTestsPassed ? null : request.TestFilter;
        var tested = await RunTestsAsync(confirmFilter, compiled, diagnostics, testProjects, shadow, fastBuildTime + build.Elapsed, progress, cancellationToken).ConfigureAwait(false);
        return tested with { TestTime = fastTestTime + tested.TestTime };
    }

    private async Task<VerificationResult> RunTestsAsync(
        string? testFilter, VerificationResult compiled, IReadOnlyList<CompilerDiagnostic> diagnostics, IReadOnlyList<Project> testProjects,
        ShadowWorkspace shadow, TimeSpan buildTime, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var assemblies = testProjects
            .Select(p => p.OutputFilePath)
            .OfType<string>()
            .Where(p => ShadowWorkspace.IsInside(p, LoadReport.Root))
            .Select(shadow.ToShadowPath)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (assemblies.Count == 0)
        {
            progress?.Report("no tests cover the change");
            return compiled with
            {
                Diagnostics = diagnostics, BuildTime = buildTime,
                Message = testProjects.Count == 0 ? "no test project references the changed code" : "the test assemblies were not found after the build",
            };
        }

        var testTimeout = TimeSpan.FromSeconds(_settings.TestTimeoutSeconds);
        var workingDirectory = Path.GetDirectoryName(assemblies[0])!;
        progress?.Report(testFilter is null ? "running tests…" : "running the relevant tests first…");
        var runner = _testRunner!;
        Interlocked.Increment(ref _testRuns);
        var outcome = await runner.RunAsync(assemblies, workingDirectory, shadow.FreshResultsDirectory, testFilter,
            testTimeout, shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
        var elapsed = outcome.Elapsed;
        if (testFilter is not null && !outcome.TimedOut && !outcome.Crashed && outcome.Results.All(r => r.Outcome != TestOutcome.Failed))
        {
            progress?.Report($"relevant tests: {Summary(outcome.Results)}; running all tests…");
            Interlocked.Increment(ref _testRuns);
            outcome = await runner.RunAsync(assemblies, workingDirectory, shadow.FreshResultsDirectory, null,
                testTimeout, shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
            elapsed += outcome.Elapsed;
        }
        progress?.Report($"running tests: {Summary(outcome.Results)}{(outcome.TimedOut ? ", timed out" : outcome.OutputFloodCharacters is not null ? ", output limit exceeded" : outcome.Crashed ? ", test host crashed" : "")} ({outcome.Runner})");
        var (status, runMessage) = TestRunReport.Describe(outcome, _settings.TestTimeoutSeconds);
        return compiled with
        {
            Status = status,
            Diagnostics = diagnostics,
            Tests = outcome.Results,
            Message = runMessage,
            Output = status == VerificationStatus.Passed ? null : Feedback.Truncation.HeadAndTail(outcome.Output, 4000),
            BuildTime = buildTime,
            TestTime = elapsed,
        };
    }

    private static string Summary(IReadOnlyList<TestCaseResult> results)
    {
        var passed = results.Count(r => r.Outcome == TestOutcome.Passed);
        var failed = results.Count(r => r.Outcome == TestOutcome.Failed);
        var skipped = results.Count(r => r.Outcome == TestOutcome.Skipped);
        return $"{passed} passed, {failed} failed{(skipped > 0 ? $", {skipped} skipped" : "")}";
    }

    private CompilerDiagnostic WithSourceLine(CompilerDiagnostic diagnostic, IReadOnlyDictionary<string, string> texts)
    {
        if (diagnostic.Path is null || diagnostic.Line <= 0 || diagnostic.SourceLine is not null) return diagnostic;
        var text = texts.TryGetValue(diagnostic.Path, out var t) ? t : GetText(diagnostic.Path);
        if (text is null) return diagnostic;
        var lines = text.Split('\n');
        return diagnostic.Line <= lines.Length ? diagnostic with { SourceLine = lines[diagnostic.Line - 1].TrimEnd('\r') } : diagnostic;
    }

    public async ValueTask DisposeAsync()
    {
        await _shadowGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _testRunner?.Dispose();
            _shadow?.Dispose();
            _workspace.Dispose();
        }
        finally
        {
            _shadowGate.Release();
        }
        _shadowGate.Dispose();
    }

    /// <summary>An immutable baseline solution and its diagnostics, computed once per project and shared by every check.</summary>
    private sealed class Baseline(Solution solution)
    {
        private readonly ConcurrentDictionary<ProjectId, Lazy<Task<IReadOnlyList<CompilerDiagnostic>>>> _diagnostics = new();

        public Solution Solution { get; } = solution;

        public Task<IReadOnlyList<CompilerDiagnostic>> GetDiagnosticsAsync(ProjectId id, CancellationToken cancellationToken)
        {
            // Not cancelled by the first caller's token: the result is shared and stays useful.
            var lazy = _diagnostics.GetOrAdd(id, key => new Lazy<Task<IReadOnlyList<CompilerDiagnostic>>>(() => ComputeAsync(key)));
            return lazy.Value.WaitAsync(cancellationToken);
        }

        private async Task<IReadOnlyList<CompilerDiagnostic>> ComputeAsync(ProjectId id)
        {
            var project = Solution.GetProject(id);
            if (project is null) return [];
            var compilation = await project.GetCompilationAsync(CancellationToken.None).ConfigureAwait(false);
            return compilation is null ? [] : RoslynDiagnostics.Convert(compilation.GetDiagnostics());
        }
    }
}
