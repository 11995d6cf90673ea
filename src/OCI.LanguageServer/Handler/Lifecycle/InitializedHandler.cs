using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Handler.Workspace;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary>
/// <c>initialized</c>: the first moment the server may send requests. Pulls the <c>oci</c> settings, sends
/// <c>oci/status</c>, then loads the workspace, all in the background so that the client is never kept waiting.
/// </summary>
internal sealed class InitializedHandler(
    BackgroundWork background, SettingsService settings, WorkspaceFolderLoader workspace, FixItWorker fixIts, WatchedFilesRegistration watchedFiles)
    : INotificationHandler<InitializedHandler, InitializedParams>
{
    public static string Method => LspMethods.Initialized;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public static InitializedParams WhenMissing { get; } = new();

    public void Handle(InitializedParams parameters)
    {
        background.Run("settings and workspace", async cancellationToken =>
        {
            // Sent first, its answer not waited for: the registration request precedes oci/status on the wire, so a
            // client that saw oci/status without one knows none is coming.
            var registration = watchedFiles.RegisterAsync(cancellationToken);
            await settings.PullAsync(cancellationToken).ConfigureAwait(false);
            await settings.SendStatusAsync().ConfigureAwait(false);
            await workspace.LoadAsync(cancellationToken).ConfigureAwait(false);
            fixIts.QueueAll(); // documents opened while the workspace loaded
            await registration.ConfigureAwait(false);
        });
    }
}
