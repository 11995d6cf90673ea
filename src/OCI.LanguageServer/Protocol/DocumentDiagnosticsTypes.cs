namespace OCI.LanguageServer.Protocol;

/// <summary>Params of the request <c>oci/documentDiagnostics</c>: an open document.</summary>
public sealed record OciDocumentDiagnosticsParams(TextDocumentIdentifier TextDocument);

/// <summary>
/// Result of <c>oci/documentDiagnostics</c>: the warnings and errors the server knows for the document's version
/// <see cref="Version"/> in the workspace's current state (the ones codeAction offers "Fix with OCI" for), as LSP
/// diagnostics with source "oci"; <see cref="Diagnostics"/> is null when the document is in no loaded project.
/// </summary>
public sealed record OciDocumentDiagnostics(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<Diagnostic>? Diagnostics);
