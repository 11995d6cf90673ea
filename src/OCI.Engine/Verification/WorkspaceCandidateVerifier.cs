using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Refine;
using OCI.Engine.Tasks;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Verification;

/// <summary>
/// Verifies editor candidates against the user's workspace. A quick in-memory check comes first: every compiler
/// error in the files the candidate changes counts (not only new ones), and for fix-diagnostic the target diagnostic
/// must be gone. This makes "the user's code as it is" (the baseline) and the candidates comparable by the same
/// measure, and spares the build and test run for a candidate that cannot compile. Then the workspace host runs the
/// real check (compile with dependents, build, the tests that exercise the target).
/// </summary>
public sealed class WorkspaceCandidateVerifier(IWorkspaceHost host, VerificationSettings settings, string? testFilter, TargetDiagnostic? target) : ICandidateVerifier
{
    public Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken) =>
        VerifyAsync(candidate, reuseUnchanged: false, progress, cancellationToken);

    private async Task<VerificationResult> VerifyAsync(Candidate candidate, bool reuseUnchanged, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        progress?.Report("compiling");
        var watch = Stopwatch.StartNew();
        var errors = await ErrorsInChangedFilesAsync(candidate.Changes, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        if (errors.Count > 0)
        {
            return new VerificationResult(VerificationStatus.CompileErrors, errors, [], CompileTime: watch.Elapsed);
        }
        var request = new VerificationRequest(candidate.Changes, settings.Build, settings.RunTests, testFilter) { ReuseUnchanged = reuseUnchanged };
        var result = await host.VerifyAsync(request, progress, cancellationToken).ConfigureAwait(false);
        // The quick check above is compile time too: the round's time split (logged per round) adds up.
        return result with { CompileTime = watch.Elapsed + result.CompileTime };
    }

    /// <summary>
    /// The user's code as it is, measured the same way as a candidate that changes <paramref name="paths"/>. Every command
    /// starts with this check, so the host may answer it with its earlier result while nothing has changed since.
    /// </summary>
    public Task<VerificationResult> VerifyBaselineAsync(IEnumerable<string> paths, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var changes = paths.Select(p => new FileChange(p, host.GetText(p) ?? "")).ToList();
        return VerifyAsync(new Candidate("baseline", "your code as it is", changes), reuseUnchanged: true, progress, cancellationToken);
    }

    private async Task<IReadOnlyList<CompilerDiagnostic>> ErrorsInChangedFilesAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var solution = host.CurrentSolution;
        var changed = new List<DocumentId>();
        foreach (var change in changes)
        {
            foreach (var id in solution.GetDocumentIdsWithFilePath(change.Path))
            {
                solution = solution.WithDocumentText(id, SourceText.From(change.NewText), PreservationMode.PreserveIdentity);
                changed.Add(id);
            }
        }

        var errors = new List<CompilerDiagnostic>();
        foreach (var id in changed)
        {
            var document = solution.GetDocument(id);
            if (document is null) continue;
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null) continue;
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in model.GetDiagnostics(cancellationToken: cancellationToken))
            {
                var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
                var isTarget = target is not null && diagnostic.Id == target.Id && message == target.Message;
                if (diagnostic.Severity != DiagnosticSeverity.Error && !isTarget) continue;
                errors.Add(ToCompilerDiagnostic(diagnostic, text, document.FilePath, isTarget));
            }
        }
        return errors;
    }

    private static CompilerDiagnostic ToCompilerDiagnostic(Diagnostic diagnostic, SourceText text, string? path, bool isTarget)
    {
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var sourceLine = position.Line < text.Lines.Count ? text.Lines[position.Line].ToString() : null;
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
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
