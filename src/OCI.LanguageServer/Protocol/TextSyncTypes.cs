namespace OCI.LanguageServer.Protocol;

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record DidChangeTextDocumentParams(
    VersionedTextDocumentIdentifier TextDocument,
    IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

/// <summary>With <see cref="Range"/>: replace that range; without: the whole new text.</summary>
public sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null, int? RangeLength = null);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text = null);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);
