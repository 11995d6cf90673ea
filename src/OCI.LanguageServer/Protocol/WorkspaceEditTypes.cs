using System.Text.Json.Serialization;

namespace OCI.LanguageServer.Protocol;

/// <summary>
/// A workspace edit. <see cref="DocumentChanges"/> holds <see cref="TextDocumentEdit"/> and <see cref="CreateFile"/>
/// entries (serialised by their runtime type); <see cref="Changes"/> is the fallback for clients without documentChanges.
/// </summary>
public sealed record WorkspaceEdit
{
    public IReadOnlyDictionary<string, IReadOnlyList<TextEdit>>? Changes { get; init; }
    public IReadOnlyList<object>? DocumentChanges { get; init; }

    /// <summary>Only when the client advertises <c>workspace.workspaceEdit.changeAnnotationSupport</c>.</summary>
    public IReadOnlyDictionary<string, ChangeAnnotation>? ChangeAnnotations { get; init; }
}

/// <summary>A change annotation; <see cref="NeedsConfirmation"/> makes the editor preview the edit before applying it.</summary>
public sealed record ChangeAnnotation(string Label, bool? NeedsConfirmation = null, string? Description = null);

public sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextEdit> Edits);

public sealed record CreateFileOptions(bool? Overwrite = null, bool? IgnoreIfExists = null);

public sealed record CreateFile(string Uri, CreateFileOptions? Options = null)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "create";
}

public sealed record ApplyWorkspaceEditParams(WorkspaceEdit Edit, string? Label = null);

public sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason = null, int? FailedChange = null);
