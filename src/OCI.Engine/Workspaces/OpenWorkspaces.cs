using Microsoft.Extensions.Logging;
using OCI.Engine.Suggestions;
using OCI.Workspace;
using OCI.Workspace.DiskChanges;

namespace OCI.Engine.Workspaces;

/// <summary>
/// The workspace folders the editor opened, each loaded by its own host (<see cref="WorkspaceHosts"/>), and how they
/// follow the files: loads and reloads (the editor's buffers overlaid on every new host), files changed on disk outside
/// the editor (a checkout, a pull, a generator), and the disk generation that lets a task notice it ran against files
/// that are gone. Thread-safe.
/// </summary>
internal sealed class OpenWorkspaces(WorkspaceHosts hosts, EditorDocuments documents, CodeFixWarmup codeFixes, WorkspaceHostFactory hostFactory, ILogger logger)
{
    private int _diskGeneration;
    private volatile Task _opening = Task.CompletedTask;

    /// <summary>
    /// Counts the batches of disk changes taken in and the hosts replaced by a reload or closed; a task that saw another
    /// value computed against older files (<see cref="Refine.RefineStopReason.Stale"/>).
    /// </summary>
    public int DiskGeneration => Volatile.Read(ref _diskGeneration);

    /// <summary>Completes when the load in progress (if any) is done: a command sent while the first load runs waits for it.</summary>
    public Task Opening => _opening;

    public async Task<WorkspaceLoadReport> OpenAsync(string fullRoot, VerificationSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _opening = opened.Task;
        try
        {
            IWorkspaceHost host;
            try
            {
                host = await hostFactory(fullRoot, settings, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                codeFixes.Start(); // Roslyn's fixes still serve single files
                logger.LogError(e, "Loading the workspace at {Root} failed", fullRoot);
                return new WorkspaceLoadReport(fullRoot, [], [$"The workspace at {fullRoot} could not be loaded: {e.Message}"]);
            }

            logger.LogDebug("Load timing: workspace host ready");
            if (hosts.Set(fullRoot, host) is { } previous)
            {
                // Before the old host closes: a task still checking against it ends stale instead of failing.
                Interlocked.Increment(ref _diskGeneration);
                await previous.DisposeAsync().ConfigureAwait(false);
            }
            var texts = documents.Texts();
            foreach (var (path, text) in texts) documents.TryOverlay(host, path, text);
            logger.LogDebug("Load timing: {Count} editor buffer(s) overlaid", texts.Length);
            // Code actions work from here on (the host is set); the load is reported (and the server's fix-its start)
            // once the open documents are diagnosed.
            await DiagnoseOpenDocumentsThenStartBackgroundWorkAsync(host, [.. texts.Select(t => t.Key)]).ConfigureAwait(false);
            return host.LoadReport;
        }
        finally
        {
            opened.TrySetResult();
        }
    }

    /// <summary>
    /// The editor's open documents get their diagnostics first (their code actions need them; only each document's own
    /// tree is bound), beside the warm-up of Roslyn's code fixes, and only then does the host start its background work (every project's compilation, the known
    /// failures' build and test run), which would otherwise take the few cores the first diagnostics need.
    /// </summary>
    private async Task DiagnoseOpenDocumentsThenStartBackgroundWorkAsync(IWorkspaceHost host, IReadOnlyList<string> openPaths)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Roslyn's code fix providers are discovered and run once on a probe beside the diagnostics, not after them: their
        // first run builds the symbol index of every referenced assembly (seconds on two cores), which the first fix of a
        // repository opened broken ("add using") would otherwise wait for.
        codeFixes.Start();
        if (openPaths.Select(p => EditorDocuments.Find(host.CurrentSolution, p)).FirstOrDefault(d => d is not null) is { } open) codeFixes.WarmProviders(open);
        try
        {
            await documents.DiagnoseAsync(host.CurrentSolution, openPaths, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "The open documents' first diagnostics failed");
        }
        finally
        {
            logger.LogDebug("Load timing: {Count} open document(s) diagnosed in {ElapsedMs} ms; background work starts", openPaths.Count, watch.ElapsedMilliseconds);
            host.StartBackgroundWork();
        }
    }

    /// <summary>A workspace folder was removed from the editor: its host is closed; the other folders keep serving.</summary>
    public async Task CloseAsync(string fullRoot)
    {
        if (hosts.Remove(fullRoot) is { } host)
        {
            Interlocked.Increment(ref _diskGeneration);
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each workspace folder takes in the source files under it, and what was computed from the old files is dropped for
    /// the projects they touched (and the projects that depend on them) only; project files mean a reload of their
    /// folder, which the caller runs in the background.
    /// </summary>
    public DiskChangeEffect ApplyDiskChanges(IReadOnlyList<DiskChange> changes)
    {
        var all = hosts.All;
        if (changes.Count == 0 || all.IsEmpty) return DiskChangeEffect.None;
        Interlocked.Increment(ref _diskGeneration);
        var changedProjects = new List<string>();
        var triggers = new List<string>();
        foreach (var (root, host) in all)
        {
            var mine = all.Length == 1 ? changes : [.. changes.Where(c => WorkspaceHosts.Contains(root, Path.GetFullPath(c.Path)))];
            if (mine.Count == 0) continue;
            var effect = host.ApplyDiskChanges(mine);
            changedProjects.AddRange(effect.ChangedProjects);
            triggers.AddRange(effect.ReloadTriggers);
            documents.InvalidateDependents(host.CurrentSolution, effect.ChangedProjects);
        }
        logger.LogInformation("Disk changes: {Count} file(s), {Projects} project(s) changed{Reload}", changes.Count, changedProjects.Count,
            triggers.Count > 0 ? ", reload needed" : "");
        return new DiskChangeEffect(changedProjects, triggers);
    }

    /// <summary>
    /// Loads again the workspace folders that hold <paramref name="triggers"/> (project, solution or MSBuild files that
    /// changed); each folder's current host serves until its new one is ready.
    /// </summary>
    public async Task<IReadOnlyList<WorkspaceLoadReport>> ReloadAsync(IReadOnlyList<string> triggers, VerificationSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var all = hosts.All;
        var roots = all.Length == 1
            ? [all[0].Root]
            : all.Select(h => h.Root).Where(root => triggers.Any(t => WorkspaceHosts.Contains(root, Path.GetFullPath(t)))).ToList();
        Interlocked.Increment(ref _diskGeneration);
        var reports = new List<WorkspaceLoadReport>();
        foreach (var root in roots)
        {
            reports.Add(await OpenAsync(root, settings, progress, cancellationToken).ConfigureAwait(false));
        }
        documents.ForgetDiagnostics();
        return reports;
    }

    /// <summary>Closes every folder (the engine's disposal).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var (root, _) in hosts.All)
        {
            if (hosts.Remove(root) is { } host) await host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
