using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

[LspMethod("textDocument/didClose")]
internal sealed class DidCloseHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DidCloseHandler>();

    public void Handle(DidCloseTextDocumentParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "textDocument/didClose");
        if (!services.Documents.Close(parameters.TextDocument.Uri))
        {
            _logger.LogWarning("didClose for {Uri}, which is not open", parameters.TextDocument.Uri);
        }
        EngineDocuments.Close(services, parameters.TextDocument.Uri, _logger);
    }
}
