using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Documents;
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
[LspMethod("workspace/didChangeWatchedFiles")]
internal sealed class DidChangeWatchedFilesHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DidChangeWatchedFilesHandler>();
    private readonly WorkspaceReloader _reloader = new(services);

    public void Handle(DidChangeWatchedFilesParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "workspace/didChangeWatchedFiles");
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
        var effect = services.Engine.ApplyDiskChanges(changes);
        _logger.LogDebug("{Count} file(s) changed on disk; projects affected: {Projects}", changes.Count, effect.ChangedProjects.Count);
        services.FixIts.QueueAll();
        if (effect.RequiresReload) _reloader.Request(effect.ReloadTriggers);
    }
}
