using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.DiskChanges;

namespace OCI.Engine;

/// <summary>
/// The engine's side of files changed on disk outside the editor (a checkout, a pull, a generator): the workspace takes
/// the source files in, and what was computed from the old files is dropped for the projects they touched (and the
/// projects that depend on them) only; project files mean a reload, which the caller runs in the background.
/// </summary>
public sealed partial class RefineEngine
{
    private int _diskGeneration;

    /// <summary>Counts the batches of disk changes taken in; a task that saw another value computed against older files.</summary>
    public int DiskGeneration => Volatile.Read(ref _diskGeneration);

    public DiskChangeEffect ApplyDiskChanges(IReadOnlyList<DiskChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0 || _host is not { } host) return DiskChangeEffect.None;
        Interlocked.Increment(ref _diskGeneration);
        var effect = host.ApplyDiskChanges(changes);
        var solution = host.CurrentSolution;
        var touched = solution.Projects.Where(p => p.FilePath is not null && effect.ChangedProjects.Contains(p.FilePath, StringComparer.Ordinal)).Select(p => p.Id).ToList();
        if (touched.Count == 0) return effect;

        // A project's diagnostics depend on its own files and on the projects it references: those of the touched
        // projects and of their dependents are stale, even for an open file whose own text did not change.
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
        _logger.LogInformation("Disk changes: {Count} file(s), {Projects} project(s) affected{Reload}", changes.Count, affected.Count,
            effect.RequiresReload ? ", reload needed" : "");
        return effect;
    }

    /// <summary>Loads the open workspace again (its project or solution files changed); the current one serves meanwhile.</summary>
    public async Task<OCI.Workspace.WorkspaceLoadReport?> ReloadWorkspaceAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (_host is not { } host) return null;
        Interlocked.Increment(ref _diskGeneration);
        var report = await OpenWorkspaceAsync(host.LoadReport.Root, progress, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var path in _documents.Keys) _diagnostics.Remove(path);
        }
        return report;
    }
}
