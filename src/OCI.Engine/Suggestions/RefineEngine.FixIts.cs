using System.Globalization;
using Microsoft.CodeAnalysis;
using OCI.Engine.Refine;
using OCI.Engine.Suggestions;
using OCI.Workspace.Verification;

namespace OCI.Engine;

/// <summary>The engine's side of background fix-its: the same fix-diagnostic run as the command, with no model unless asked.</summary>
public sealed partial class RefineEngine : IFixItSource
{
    public async Task<DocumentErrors?> GetErrorsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (_hosts.For(Path.GetFullPath(path)) is not { } host || FindDocument(host.CurrentSolution, Path.GetFullPath(path)) is not { } document) return null;
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return null;
        var errors = model.GetDiagnostics(cancellationToken: cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource && d.Location.SourceTree == model.SyntaxTree)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => new DocumentError(d.Id, d.GetMessage(CultureInfo.InvariantCulture), d.Location.GetLineSpan().Span))
            .ToList();
        return new DocumentErrors(text.ToString(), errors);
    }

    public async Task<VerifiedFix?> VerifyFixAsync(string path, DocumentError error, bool useModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        // Shown as soon as it compiles and the tests that reach it pass on the in-memory build, as a command's edit is
        // applied; the real build and the whole suite confirm it afterwards (the title then says so, or it is withdrawn).
        var request = new RefineRequest(RefineKind.FixDiagnostic, path, error.Range, DiagnosticId: error.Id, AllowModel: useModel) { ConfirmLater = true, Background = true };
        var outcome = await RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested(); // the engine reports cancellation as an outcome
        if (!outcome.Verified || outcome.Changes.Count == 0) return null;
        var what = Describe(outcome.CandidateOrigin, outcome.CandidateDescription, error);
        var confirmation = outcome.Result?.PendingConfirmation is { } pending ? ConfirmAsync(what, pending) : null;
        return new VerifiedFix(error, $"{what} — {ResultDescription.Brief(outcome.Result)}", outcome.Changes, confirmation);

        static async Task<FixConfirmation> ConfirmAsync(string what, Task<VerificationResult> pending)
        {
            var confirmed = await pending.ConfigureAwait(false);
            if (confirmed.Superseded) return new FixConfirmation(false, what, confirmed.Message, Superseded: true);
            return confirmed.Status == VerificationStatus.Passed
                ? new FixConfirmation(true, $"{what} — {ResultDescription.Brief(confirmed)}")
                : new FixConfirmation(false, what, ResultDescription.Of(confirmed));
        }
    }

    /// <summary>
    /// Roslyn's own titles, as verbs: "using System.Text;" → "Add using System.Text"; a chain "using A; + using B;" →
    /// "Add using A, B". A model's fix has no title of its own.
    /// </summary>
    internal static string Describe(CandidateOrigin? origin, string? description, DocumentError error)
    {
        if (origin != CandidateOrigin.Roslyn || string.IsNullOrWhiteSpace(description)) return $"Fix {error.Id} (model)";
        var parts = description.Split(" + ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        static bool IsUsing(string part) => part.StartsWith("using ", StringComparison.Ordinal) && part.EndsWith(';');
        if (parts.All(IsUsing)) return "Add using " + string.Join(", ", parts.Select(p => p["using ".Length..^1].Trim()));
        return string.Join(" + ", parts.Select(p => IsUsing(p) ? "add " + p.TrimEnd(';') : p)) is var joined && joined.StartsWith("add ", StringComparison.Ordinal)
            ? "A" + joined[1..]
            : joined;
    }
}
