using System.Text.Json.Serialization;

namespace OCI.LanguageServer.Protocol;

/// <summary>Zero-based line and character; what "character" counts depends on the negotiated position encoding.</summary>
public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

/// <summary>A document identifier whose version is null when the document is not open in the editor.</summary>
public sealed record OptionalVersionedTextDocumentIdentifier(
    string Uri,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Version = null);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record TextEdit(Range Range, string NewText)
{
    /// <summary>Set only when the edit is an AnnotatedTextEdit (the id of a change annotation of its WorkspaceEdit).</summary>
    public string? AnnotationId { get; init; }
}

public sealed record WorkspaceFolder(string Uri, string Name);
