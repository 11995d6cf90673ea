using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Full and incremental changes, applied in order in the negotiated position encoding.</summary>
[LspMethod("textDocument/didChange")]
internal sealed class DidChangeHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DidChangeHandler>();

    public void Handle(DidChangeTextDocumentParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "textDocument/didChange");
        try
        {
            var snapshot = services.Documents.Change(parameters.TextDocument, parameters.ContentChanges);
            EngineDocuments.Set(services, snapshot, _logger);
        }
        catch (DocumentChangeException ex)
        {
            _logger.LogWarning("{Message}", ex.Message);
            _ = services.Client.LogMessageAsync(MessageType.Warning, ex.Message);
        }
    }
}
