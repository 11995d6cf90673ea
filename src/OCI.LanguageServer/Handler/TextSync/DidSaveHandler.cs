using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.TextSync;

/// <summary>Saving changes nothing the server holds (the buffer already is the truth); it is logged for traces.</summary>
[LspMethod("textDocument/didSave")]
internal sealed class DidSaveHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DidSaveHandler>();

    public void Handle(DidSaveTextDocumentParams? parameters)
    {
        parameters = LspErrors.Require(parameters, "textDocument/didSave");
        _logger.LogDebug("Saved {Uri}", parameters.TextDocument.Uri);
    }
}
