namespace OCI.LanguageServer.Protocol;

/// <summary>One verified fix at an error: where the error is, what the fix does and what was verified, and its ready edit.</summary>
public sealed record OciFixIt(Range Range, string Title, string? DiagnosticCode, WorkspaceEdit Edit);

/// <summary>
/// Params of <c>oci/fixIts</c> (fixits.schema.json): the complete set for this document version; an empty list withdraws
/// the earlier set. A client shows them only while the document is still at <c>textDocument.version</c>.
/// </summary>
public sealed record OciFixItsParams(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<OciFixIt> FixIts);
