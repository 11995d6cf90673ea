using System.Globalization;
using Microsoft.CodeAnalysis;
using OCI.Engine.Suggestions;

namespace OCI.Engine;

/// <summary>The diagnostics codeAction offers fixes for, asked for directly (<c>oci/documentDiagnostics</c>).</summary>
public sealed partial class RefineEngine
{
    public async Task<OpenDocumentDiagnostics?> GetDocumentDiagnosticsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (_hosts.For(fullPath) is not { } host || FindDocument(host.CurrentSolution, fullPath) is not { } document) return null;
        // The same cache codeAction reads: what this answers is what the next code action offers.
        if (await _diagnostics.GetOrComputeAsync(document, cancellationToken).ConfigureAwait(false) is not { } diagnostics) return null;
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return new OpenDocumentDiagnostics(text.ToString(), [.. diagnostics
            .Where(d => d.Location.IsInSource && d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new OpenDocumentDiagnostic(d.Id, d.Severity, d.GetMessage(CultureInfo.InvariantCulture), d.Location.GetLineSpan().Span))]);
    }
}
