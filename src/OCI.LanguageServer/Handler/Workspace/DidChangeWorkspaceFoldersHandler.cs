using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// <c>workspace/didChangeWorkspaceFolders</c>: a removed folder is closed, an added one loaded in the background with
/// progress; the other folders keep serving meanwhile.
/// </summary>
internal sealed class DidChangeWorkspaceFoldersHandler(IRefineEngine engine, ClientConnection client, BackgroundWork background, WorkspaceFolderLoader workspace, FixItWorker fixIts)
    : INotificationHandler<DidChangeWorkspaceFoldersHandler, DidChangeWorkspaceFoldersParams>
{
    public static string Method => LspMethods.DidChangeWorkspaceFolders;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public void Handle(DidChangeWorkspaceFoldersParams parameters)
    {
        var removed = (parameters.Event?.Removed ?? []).Select(f => UriPaths.TryGetLocalPath(f.Uri)).OfType<string>().ToList();
        var added = (parameters.Event?.Added ?? []).Select(f => UriPaths.TryGetLocalPath(f.Uri)).OfType<string>().ToList();
        if (removed.Count == 0 && added.Count == 0) return;
        background.Run("workspace folders", async cancellationToken =>
        {
            foreach (var root in removed)
            {
                await engine.CloseWorkspaceAsync(root, cancellationToken).ConfigureAwait(false);
                await client.LogMessageAsync(MessageType.Info, $"Closed {root}").ConfigureAwait(false);
            }
            foreach (var root in added)
            {
                await workspace.LoadFolderAsync(root, cancellationToken).ConfigureAwait(false);
            }
            fixIts.QueueAll();
        });
    }
}
