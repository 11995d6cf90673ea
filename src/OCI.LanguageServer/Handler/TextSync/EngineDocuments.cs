using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.FixIts;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Forwards open documents (file: URIs only) to the engine; an engine failure is logged, never lost text in the store.</summary>
internal sealed class EngineDocuments(IRefineEngine engine, FixItWorker fixIts, ILogger<EngineDocuments> logger)
{
    public void Set(TextDocumentSnapshot snapshot)
    {
        if (snapshot.Path is null)
        {
            return;
        }
        try
        {
            engine.SetDocument(snapshot.Path, snapshot.Text);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The engine failed to take {Path}", snapshot.Path);
            return;
        }
        fixIts.DocumentChanged(snapshot);
    }

    public void Close(string uri)
    {
        fixIts.DocumentClosed(uri);
        if (UriPaths.TryGetLocalPath(uri) is not { } path)
        {
            return;
        }
        try
        {
            // The buffer differed from the disk: every open document that sees the closed one (its project, the projects
            // that reference it) may have other errors now, so their fix-its are verified again.
            if (engine.CloseDocument(path)) fixIts.QueueAll();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The engine failed to close {Path}", path);
        }
    }
}
