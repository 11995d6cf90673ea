using Microsoft.CodeAnalysis;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Compilation;

/// <summary>Converts Roslyn diagnostics into <see cref="CompilerDiagnostic"/> with 1-based positions and the source line quoted.</summary>
public static class RoslynDiagnostics
{
    public static CompilerDiagnostic ToCompilerDiagnostic(Diagnostic diagnostic)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => DiagnosticSeverityLevel.Error,
            DiagnosticSeverity.Warning => DiagnosticSeverityLevel.Warning,
            DiagnosticSeverity.Info => DiagnosticSeverityLevel.Info,
            _ => DiagnosticSeverityLevel.Hidden,
        };
        var location = diagnostic.Location;
        if (!location.IsInSource || location.SourceTree is null)
        {
            return new CompilerDiagnostic(diagnostic.Id, severity, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), null, 0, 0);
        }
        var span = location.GetLineSpan();
        var text = location.SourceTree.TryGetText(out var cached) ? cached : location.SourceTree.GetText();
        var lineIndex = span.StartLinePosition.Line;
        string? sourceLine = lineIndex < text.Lines.Count ? text.Lines[lineIndex].ToString() : null;
        return new CompilerDiagnostic(
            diagnostic.Id,
            severity,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(span.Path) ? null : span.Path,
            lineIndex + 1,
            span.StartLinePosition.Character + 1,
            sourceLine);
    }

    /// <summary>Errors and warnings only: hidden and info diagnostics are noise for a model.</summary>
    public static IReadOnlyList<CompilerDiagnostic> Convert(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .Select(ToCompilerDiagnostic)];
}
