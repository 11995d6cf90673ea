using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary>
/// <c>oci.refine.previewEdits</c>: the edit goes out with one change annotation that needs confirmation, on every text
/// edit, so the editor shows it (VS Code: the refactor preview) and applies it only when the user accepts.
/// </summary>
internal static class EditPreview
{
    public const string AnnotationId = "oci.preview";

    public static WorkspaceEdit NeedsConfirmation(WorkspaceEdit edit, string label, string description)
    {
        IReadOnlyList<TextEdit> Annotate(IReadOnlyList<TextEdit> edits) => edits.Select(e => e with { AnnotationId = AnnotationId }).ToList();
        return edit with
        {
            Changes = edit.Changes?.ToDictionary(pair => pair.Key, pair => Annotate(pair.Value), StringComparer.Ordinal),
            DocumentChanges = edit.DocumentChanges?.Select(change => change is TextDocumentEdit textEdit ? textEdit with { Edits = Annotate(textEdit.Edits) } : change).ToList(),
            ChangeAnnotations = new Dictionary<string, ChangeAnnotation>(StringComparer.Ordinal)
            {
                [AnnotationId] = new ChangeAnnotation(label, NeedsConfirmation: true, description),
            },
        };
    }
}
