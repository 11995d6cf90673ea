using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace;
using OCI.Workspace.DiskChanges;

namespace OCI.Engine;

/// <summary>
/// The engine's side of files changed on disk outside the editor (a checkout, a pull, a generator): each workspace
/// folder takes in the source files under it, and what was computed from the old files is dropped for the projects they
/// touched (and the projects that depend on them) only; project files mean a reload of their folder, which the caller
/// runs in the background.
/// </summary>
public sealed partial class RefineEngine
{
    private int _diskGeneration;

    /// <summary>
    /// Counts the batches of disk changes taken in and the hosts replaced by a reload; a task that saw another value
    /// computed against older files (<see cref="Refine.RefineStopReason.Stale"/>).
    /// </summary>
    public int DiskGeneration => Volatile.Read(ref _diskGeneration);

    public DiskChangeEffect ApplyDiskChanges(IReadOnlyList<DiskChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var hosts = _hosts.All;
        if (changes.Count == 0 || hosts.IsEmpty) return DiskChangeEffect.None;
        Interlocked.Increment(ref _diskGeneration);
        var changedProjects = new List<string>();
        var triggers = new List<string>();
        foreach (var (root, host) in hosts)
        {
            var mine = hosts.Length == 1 ? changes : [.. changes.Where(c => Workspaces.WorkspaceHosts.Contains(root, Path.GetFullPath(c.Path)))];
            if (mine.Count == 0) continue;
            var effect = host.ApplyDiskChanges(mine);
            changedProjects.AddRange(effect.ChangedProjects);
            triggers.AddRange(effect.ReloadTriggers);
            InvalidateDependents(host.CurrentSolution, effect.ChangedProjects);
        }
        _logger.LogInformation("Disk changes: {Count} file(s), {Projects} project(s) changed{Reload}", changes.Count, changedProjects.Count,
            triggers.Count > 0 ? ", reload needed" : "");
        return new DiskChangeEffect(changedProjects, triggers);
    }

    /// <summary>
    /// A project's diagnostics depend on its own files and on the projects it references: those of the changed
    /// projects and of their dependents are stale, even for an open file whose own text did not change.
    /// </summary>
    private void InvalidateDependents(Solution solution, IReadOnlyList<string> changedProjects)
    {
        var touched = solution.Projects.Where(p => p.FilePath is not null && changedProjects.Contains(p.FilePath, StringComparer.Ordinal)).Select(p => p.Id).ToList();
        if (touched.Count == 0) return;
        var affected = new HashSet<ProjectId>(touched);
        var graph = solution.GetProjectDependencyGraph();
        foreach (var id in touched) affected.UnionWith(graph.GetProjectsThatTransitivelyDependOnThisProject(id));
        string[] open;
        lock (_gate) open = [.. _documents.Keys];
        foreach (var path in open)
        {
            foreach (var id in solution.GetDocumentIdsWithFilePath(path))
            {
                if (!affected.Contains(id.ProjectId)) continue;
                _diagnostics.Remove(path);
                if (solution.GetDocument(id) is { } document) _diagnostics.Schedule(document);
            }
        }
    }

    /// <summary>
    /// Loads again the workspace folders that hold <paramref name="triggers"/> (project, solution or MSBuild files that
    /// changed); each folder's current host serves until its new one is ready.
    /// </summary>
    public async Task<IReadOnlyList<WorkspaceLoadReport>> ReloadWorkspacesAsync(IReadOnlyList<string> triggers, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var hosts = _hosts.All;
        var roots = hosts.Length == 1
            ? [hosts[0].Root]
            : hosts.Select(h => h.Root).Where(root => triggers.Any(t => Workspaces.WorkspaceHosts.Contains(root, Path.GetFullPath(t)))).ToList();
        Interlocked.Increment(ref _diskGeneration);
        var reports = new List<WorkspaceLoadReport>();
        foreach (var root in roots)
        {
            reports.Add(await OpenWorkspaceAsync(root, progress, cancellationToken).ConfigureAwait(false));
        }
        lock (_gate)
        {
            foreach (var path in _documents.Keys) _diagnostics.Remove(path);
        }
        return reports;
    }
}
