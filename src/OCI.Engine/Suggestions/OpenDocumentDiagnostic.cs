using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Engine.Suggestions;

/// <summary>A diagnostic of an open document as codeAction sees it (UTF-16 positions, as Roslyn counts them).</summary>
public sealed record OpenDocumentDiagnostic(string Id, DiagnosticSeverity Severity, string Message, LinePositionSpan Range);

/// <summary>The diagnostics of one exact text of a document, and that text (the caller checks it is still the editor's).</summary>
public sealed record OpenDocumentDiagnostics(string Text, IReadOnlyList<OpenDocumentDiagnostic> Diagnostics);
