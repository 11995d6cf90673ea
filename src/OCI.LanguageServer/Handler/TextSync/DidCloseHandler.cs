using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

internal sealed class DidCloseHandler(DocumentStore documents, EngineDocuments engineDocuments, ILogger<DidCloseHandler> logger)
    : INotificationHandler<DidCloseHandler, DidCloseTextDocumentParams>
{
    public static string Method => LspMethods.DidClose;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(DidCloseTextDocumentParams parameters)
    {
        if (!documents.Close(parameters.TextDocument.Uri))
        {
            logger.LogWarning("didClose for {Uri}, which is not open", parameters.TextDocument.Uri);
        }
        engineDocuments.Close(parameters.TextDocument.Uri);
    }
}
