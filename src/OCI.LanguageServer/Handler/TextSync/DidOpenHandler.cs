using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

[LspMethod("textDocument/didOpen")]
internal sealed class DidOpenHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DidOpenHandler>();

    public void Handle(DidOpenTextDocumentParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "textDocument/didOpen");
        var snapshot = services.Documents.Open(parameters.TextDocument);
        EngineDocuments.Set(services, snapshot, _logger);
    }
}
