using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary>
/// <c>initialized</c>: the first moment the server may send requests. Pulls the <c>oci</c> settings, sends
/// <c>oci/status</c>, then loads the workspace, all in the background so that the client is never kept waiting.
/// </summary>
[LspMethod("initialized")]
internal sealed class InitializedHandler(LspServices services)
{
    public void Handle(InitializedParams? parameters)
    {
        services.Background.Run("watched files registration", cancellationToken => Workspace.WatchedFilesRegistration.RegisterAsync(services, cancellationToken));
        services.Background.Run("settings and workspace", async cancellationToken =>
        {
            await services.Settings.PullAsync(cancellationToken).ConfigureAwait(false);
            await services.Settings.SendStatusAsync().ConfigureAwait(false);
            await services.Workspace.LoadAsync(cancellationToken).ConfigureAwait(false);
            services.FixIts.QueueAll(); // documents opened while the workspace loaded

        });
    }
}
