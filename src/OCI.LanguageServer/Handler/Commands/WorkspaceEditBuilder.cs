using System.Collections.Immutable;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;
using OCI.Workspace;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary>The outcome of turning engine changes into one workspace edit.</summary>
internal sealed record PlannedEdit(WorkspaceEdit? Edit, IReadOnlyList<string> StaleDocuments, IReadOnlyList<string> Problems);

/// <summary>
/// Turns the engine's whole-file texts into one <see cref="WorkspaceEdit"/> of minimal, versioned text edits, diffed
/// against the text each document had when the task started. A document that changed (or was opened or closed) since
/// then is stale: nothing is planned for the whole edit, because a partial refactoring is worse than none.
/// </summary>
internal static class WorkspaceEditBuilder
{
    public static async Task<PlannedEdit> PlanAsync(
        IReadOnlyList<FileChange> changes,
        ImmutableDictionary<string, TextDocumentSnapshot> atStart,
        DocumentStore documents,
        ServerState state,
        CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        var problems = new List<string>();
        var documentChanges = new List<object>();
        var plainChanges = new Dictionary<string, IReadOnlyList<TextEdit>>(StringComparer.Ordinal);

        foreach (var change in changes)
        {
            var startSnapshot = atStart.Values.FirstOrDefault(d => d.Path is not null && string.Equals(d.Path, change.Path, UriPaths.PathComparison));
            var current = documents.GetByPath(change.Path);
            if (startSnapshot is not null)
            {
                if (current is null || current.Version != startSnapshot.Version || !ReferenceEquals(current.Text, startSnapshot.Text) && current.Text != startSnapshot.Text)
                {
                    stale.Add(startSnapshot.Uri);
                    continue;
                }
                var edits = Diff(startSnapshot, change.NewText, state.PositionEncoding);
                if (edits.Count > 0)
                {
                    documentChanges.Add(new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(startSnapshot.Uri, startSnapshot.Version), edits));
                    plainChanges[startSnapshot.Uri] = edits;
                }
                continue;
            }

            var uri = UriPaths.ToUri(change.Path);
            if (current is not null)
            {
                stale.Add(current.Uri); // opened while the task ran: its buffer may differ from what the engine saw
                continue;
            }
            if (File.Exists(change.Path))
            {
                var disk = await File.ReadAllTextAsync(change.Path, cancellationToken).ConfigureAwait(false);
                var snapshot = new TextDocumentSnapshot(uri, change.Path, "", 0, disk);
                var edits = Diff(snapshot, change.NewText, state.PositionEncoding);
                if (edits.Count > 0)
                {
                    documentChanges.Add(new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(uri, null), edits));
                    plainChanges[uri] = edits;
                }
                continue;
            }
            if (!state.ClientSupportsCreateFile || !state.ClientSupportsDocumentChanges)
            {
                problems.Add($"{change.Path} would be a new file, which this editor cannot create through an edit.");
                continue;
            }
            documentChanges.Add(new CreateFile(uri, new CreateFileOptions(IgnoreIfExists: true)));
            documentChanges.Add(new TextDocumentEdit(
                new OptionalVersionedTextDocumentIdentifier(uri, null),
                [new TextEdit(new Protocol.Range(new Position(0, 0), new Position(0, 0)), change.NewText)]));
        }

        if (stale.Count > 0)
        {
            return new PlannedEdit(null, stale, problems);
        }
        if (documentChanges.Count == 0)
        {
            return new PlannedEdit(null, stale, problems);
        }
        var edit = state.ClientSupportsDocumentChanges
            ? new WorkspaceEdit { DocumentChanges = documentChanges }
            : new WorkspaceEdit { Changes = plainChanges };
        return new PlannedEdit(edit, stale, problems);
    }

    public static IReadOnlyList<TextEdit> Diff(TextDocumentSnapshot before, string newText, PositionEncoding encoding) =>
        TextDiff.Compute(before.Text, newText)
            .Select(r => new TextEdit(before.GetRange(r.Start, r.End, encoding), r.NewText))
            .ToList();
}
