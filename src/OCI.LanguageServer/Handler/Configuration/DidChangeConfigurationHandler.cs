using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Configuration;

/// <summary><c>workspace/didChangeConfiguration</c>: re-pull (or read the pushed settings) in the background.</summary>
internal sealed class DidChangeConfigurationHandler(BackgroundWork background, SettingsService settings)
    : INotificationHandler<DidChangeConfigurationHandler, DidChangeConfigurationParams>
{
    public static string Method => LspMethods.DidChangeConfiguration;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public static DidChangeConfigurationParams WhenMissing { get; } = new();

    public void Handle(DidChangeConfigurationParams parameters) =>
        background.Run("configuration change", cancellationToken => settings.OnDidChangeAsync(parameters.Settings, cancellationToken));
}
