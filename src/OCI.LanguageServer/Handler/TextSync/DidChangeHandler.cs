using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Full and incremental changes, applied in order in the negotiated position encoding.</summary>
internal sealed class DidChangeHandler(DocumentStore documents, EngineDocuments engineDocuments, ClientConnection client, ILogger<DidChangeHandler> logger)
    : INotificationHandler<DidChangeHandler, DidChangeTextDocumentParams>
{
    public static string Method => LspMethods.DidChange;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(DidChangeTextDocumentParams parameters)
    {
        try
        {
            engineDocuments.Set(documents.Change(parameters.TextDocument, parameters.ContentChanges));
        }
        catch (DocumentChangeException ex)
        {
            logger.LogWarning("{Message}", ex.Message);
            _ = client.LogMessageAsync(MessageType.Warning, ex.Message);
        }
    }
}
