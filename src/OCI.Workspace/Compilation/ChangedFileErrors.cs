using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Compilation;

/// <summary>
/// Every compiler error in the files a candidate changes (not only the new ones), and the target diagnostic while it
/// is still there (<see cref="VerificationRequest.AllErrorsInChangedFiles"/>, <see cref="VerificationRequest.TargetDiagnostic"/>).
/// This measures "the user's code as it is" and each candidate the same way, so the two are comparable.
/// </summary>
public static class ChangedFileErrors
{
    public static async Task<IReadOnlyList<CompilerDiagnostic>> FindAsync(
        Solution candidate, IEnumerable<DocumentId> changedDocuments, DiagnosticToRemove? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(changedDocuments);
        var errors = new List<CompilerDiagnostic>();
        foreach (var id in changedDocuments)
        {
            var document = candidate.GetDocument(id);
            if (document is null) continue;
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null) continue;
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in await TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false))
            {
                var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
                var isTarget = target is not null && diagnostic.Id == target.Id && message == target.Message;
                if (diagnostic.Severity != DiagnosticSeverity.Error && !isTarget) continue;
                errors.Add(ToCompilerDiagnostic(diagnostic, message, text, document.FilePath, isTarget));
            }
        }
        return errors;
    }

    private static CompilerDiagnostic ToCompilerDiagnostic(Diagnostic diagnostic, string message, SourceText text, string? path, bool isTarget)
    {
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var sourceLine = position.Line < text.Lines.Count ? text.Lines[position.Line].ToString() : null;
        return new CompilerDiagnostic(
            diagnostic.Id,
            // The diagnostic being fixed counts as an error even when it is a warning: it is what must go away.
            DiagnosticSeverityLevel.Error,
            isTarget && diagnostic.Severity != DiagnosticSeverity.Error ? message + " (the diagnostic to fix is still reported)" : message,
            path,
            position.Line + 1,
            position.Character + 1,
            sourceLine,
            IsNew: true);
    }
}
