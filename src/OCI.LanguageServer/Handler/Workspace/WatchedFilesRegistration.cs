using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// Asks the client to watch the files whose change on disk the server must know (client/registerCapability for
/// workspace/didChangeWatchedFiles), when the client supports dynamic registration of it. A client that does not
/// (Neovim 0.7) sends the events from its own watcher (editors/nvim/lua/oci/watch.lua).
/// </summary>
internal sealed class WatchedFilesRegistration(ServerState state, ClientConnection client, ILogger<WatchedFilesRegistration> logger)
{
    /// <summary>Sources, projects, solutions, MSBuild imports, central package versions, lock files and the SDK pin.</summary>
    public static IReadOnlyList<string> GlobPatterns { get; } =
    [
        "**/*.cs", "**/*.csproj", "**/*.props", "**/*.targets", "**/*.sln", "**/*.slnx",
        "**/packages.lock.json", "**/global.json", "**/Directory.Packages.props",
    ];

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        if (state.Capabilities.Workspace?.DidChangeWatchedFiles?.DynamicRegistration != true) return;
        var options = new DidChangeWatchedFilesRegistrationOptions([.. GlobPatterns.Select(p => new Protocol.FileSystemWatcher(p))]);
        try
        {
            await client.RequestAsync<object?>(LspMethods.RegisterCapability,
                new RegistrationParams([new Registration("oci-watched-files", LspMethods.DidChangeWatchedFiles, options)]), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The client refused to watch files: changes on disk are seen only for saved buffers");
        }
    }
}
