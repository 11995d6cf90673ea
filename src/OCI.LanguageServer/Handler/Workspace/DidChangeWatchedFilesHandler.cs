using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;
using OCI.Workspace.DiskChanges;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// <c>workspace/didChangeWatchedFiles</c>: files changed on disk outside the editor (a checkout, a pull, a generator).
/// Source files are taken into the solution at once (open documents keep the editor's text) and the fix-its of open
/// documents are computed again; a changed project, solution or MSBuild file reloads the workspace in the background
/// (<see cref="WorkspaceReloader"/>) while the loaded one keeps serving.
/// </summary>
internal sealed class DidChangeWatchedFilesHandler(IRefineEngine engine, FixItWorker fixIts, WorkspaceReloader reloader, ILogger<DidChangeWatchedFilesHandler> logger)
    : INotificationHandler<DidChangeWatchedFilesHandler, DidChangeWatchedFilesParams>
{
    public static string Method => LspMethods.DidChangeWatchedFiles;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(DidChangeWatchedFilesParams parameters)
    {
        var changes = new List<DiskChange>();
        foreach (var change in parameters.Changes ?? [])
        {
            if (UriPaths.TryGetLocalPath(change.Uri) is not { } path) continue;
            var kind = change.Type switch
            {
                FileChangeType.Created => DiskChangeKind.Created,
                FileChangeType.Deleted => DiskChangeKind.Deleted,
                _ => DiskChangeKind.Changed,
            };
            changes.Add(new DiskChange(path, kind));
        }
        if (changes.Count == 0) return;
        var effect = engine.ApplyDiskChanges(changes);
        logger.LogDebug("{Count} file(s) changed on disk; projects affected: {Projects}", changes.Count, effect.ChangedProjects.Count);
        fixIts.QueueAll();
        if (effect.RequiresReload) reloader.Request(effect.ReloadTriggers);
    }
}
