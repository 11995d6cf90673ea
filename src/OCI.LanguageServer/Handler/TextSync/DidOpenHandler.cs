using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

internal sealed class DidOpenHandler(DocumentStore documents, EngineDocuments engineDocuments)
    : INotificationHandler<DidOpenHandler, DidOpenTextDocumentParams>
{
    public static string Method => LspMethods.DidOpen;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(DidOpenTextDocumentParams parameters) => engineDocuments.Set(documents.Open(parameters.TextDocument));
}
