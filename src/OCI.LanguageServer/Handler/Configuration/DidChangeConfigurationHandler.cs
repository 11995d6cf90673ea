using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Configuration;

/// <summary><c>workspace/didChangeConfiguration</c>: re-pull (or read the pushed settings) in the background.</summary>
[LspMethod("workspace/didChangeConfiguration")]
internal sealed class DidChangeConfigurationHandler(LspServices services)
{
    public void Handle(DidChangeConfigurationParams? parameters) =>
        services.Background.Run("configuration change", cancellationToken => services.Settings.OnDidChangeAsync(parameters?.Settings, cancellationToken));
}
