using System.Text.Json;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Diagnostics;

/// <summary>
/// <c>oci/documentDiagnostics</c>: the warnings and errors of an open document as the server sees it now (computed at
/// once unless already known), the same ones codeAction offers fixes for. For tests, benchmarks and a client that
/// wants to compare with its own compiler; the server publishes no diagnostics of its own.
/// </summary>
internal sealed class DocumentDiagnosticsHandler(IRefineEngine engine, DocumentStore documents, ServerState state)
    : IRequestHandler<DocumentDiagnosticsHandler, OciDocumentDiagnosticsParams, OciDocumentDiagnostics>
{
    public static string Method => OciMethods.DocumentDiagnostics;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public async Task<OciDocumentDiagnostics> HandleAsync(OciDocumentDiagnosticsParams parameters, CancellationToken cancellationToken)
    {
        var uri = parameters.TextDocument.Uri;
        if (documents.Get(uri) is not { Path: { } path } snapshot) return new OciDocumentDiagnostics(new VersionedTextDocumentIdentifier(uri, 0), null);
        var found = await engine.GetDocumentDiagnosticsAsync(path, cancellationToken).ConfigureAwait(false);
        // Computed for another text (a change arrived meanwhile): the caller asks again for the newer version.
        if (found is null || found.Text != snapshot.Text) return new OciDocumentDiagnostics(new VersionedTextDocumentIdentifier(uri, snapshot.Version), null);
        var encoding = state.PositionEncoding;
        return new OciDocumentDiagnostics(new VersionedTextDocumentIdentifier(uri, snapshot.Version), [.. found.Diagnostics.Select(d => new Diagnostic(
            snapshot.FromLinePositionSpan(d.Range, encoding),
            d.Message,
            d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? 1 : 2,
            JsonSerializer.SerializeToElement(d.Id),
            "oci"))]);
    }
}
