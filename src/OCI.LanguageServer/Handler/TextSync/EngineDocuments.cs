using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Forwards open documents (file: URIs only) to the engine; an engine failure is logged, never lost text in the store.</summary>
internal static class EngineDocuments
{
    public static void Set(LspServices services, TextDocumentSnapshot snapshot, ILogger logger)
    {
        if (snapshot.Path is null)
        {
            return;
        }
        try
        {
            services.Engine.SetDocument(snapshot.Path, snapshot.Text);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The engine failed to take {Path}", snapshot.Path);
            return;
        }
        services.FixIts.DocumentChanged(snapshot);
    }

    public static void Close(LspServices services, string uri, ILogger logger)
    {
        services.FixIts.DocumentClosed(uri);
        if (UriPaths.TryGetLocalPath(uri) is not { } path)
        {
            return;
        }
        try
        {
            services.Engine.CloseDocument(path);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The engine failed to close {Path}", path);
        }
    }
}
