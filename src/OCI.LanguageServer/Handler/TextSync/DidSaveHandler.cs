using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Saving changes nothing the server holds (the buffer already is the truth); it is logged for traces.</summary>
internal sealed class DidSaveHandler(ILogger<DidSaveHandler> logger) : INotificationHandler<DidSaveHandler, DidSaveTextDocumentParams>
{
    public static string Method => LspMethods.DidSave;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(DidSaveTextDocumentParams parameters) => logger.LogDebug("Saved {Uri}", parameters.TextDocument.Uri);
}
