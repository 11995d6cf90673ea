using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// <c>workspace/didChangeWorkspaceFolders</c>: a removed folder is closed, an added one loaded in the background with
/// progress; the other folders keep serving meanwhile.
/// </summary>
[LspMethod("workspace/didChangeWorkspaceFolders")]
internal sealed class DidChangeWorkspaceFoldersHandler(LspServices services)
{
    public void Handle(DidChangeWorkspaceFoldersParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "workspace/didChangeWorkspaceFolders");
        var removed = (parameters.Event?.Removed ?? []).Select(f => UriPaths.TryGetLocalPath(f.Uri)).OfType<string>().ToList();
        var added = (parameters.Event?.Added ?? []).Select(f => UriPaths.TryGetLocalPath(f.Uri)).OfType<string>().ToList();
        if (removed.Count == 0 && added.Count == 0) return;
        services.Background.Run("workspace folders", async cancellationToken =>
        {
            foreach (var root in removed)
            {
                await services.Engine.CloseWorkspaceAsync(root, cancellationToken).ConfigureAwait(false);
                await services.Client.LogMessageAsync(MessageType.Info, $"Closed {root}").ConfigureAwait(false);
            }
            foreach (var root in added)
            {
                await services.Workspace.LoadFolderAsync(root, cancellationToken).ConfigureAwait(false);
            }
            services.FixIts.QueueAll();
        });
    }
}
