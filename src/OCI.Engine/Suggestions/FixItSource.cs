using OCI.Engine.Refine;
using OCI.Workspace.Verification;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Background fix-its: the same fix-diagnostic run as the command (<paramref name="engine"/>), with no model unless asked,
/// shown once it compiles and the tests that reach it pass on the in-memory build, then confirmed or withdrawn.
/// </summary>
internal sealed class FixItSource(IRefineEngine engine, EditorDocuments documents) : IFixItSource
{
    public Task<DocumentErrors?> GetErrorsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return documents.GetErrorsAsync(Path.GetFullPath(path), cancellationToken);
    }

    public async Task<VerifiedFix?> VerifyFixAsync(string path, DocumentError error, bool useModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        // Shown as soon as it compiles and the tests that reach it pass on the in-memory build, as a command's edit is
        // applied; the real build and the whole suite confirm it afterwards (the title then says so, or it is withdrawn).
        var request = new RefineRequest(RefineKind.FixDiagnostic, path, error.Range, DiagnosticId: error.Id, AllowModel: useModel) { ConfirmLater = true, Background = true };
        var outcome = await engine.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested(); // the engine reports cancellation as an outcome
        if (!outcome.Verified || outcome.Changes.Count == 0) return null;
        var what = Describe(outcome.CandidateOrigin, outcome.CandidateDescription, error);
        var confirmation = outcome.Result?.PendingConfirmation is { } pending ? ConfirmAsync(what, engine.WaitForConfirmationAsync(pending, CancellationToken.None)) : null;
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
