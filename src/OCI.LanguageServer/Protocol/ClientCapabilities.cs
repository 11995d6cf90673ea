namespace OCI.LanguageServer.Protocol;

/// <summary>The client capabilities the server looks at (everything else the client sends is ignored).</summary>
public sealed record ClientCapabilities
{
    public WorkspaceClientCapabilities? Workspace { get; init; }
    public TextDocumentClientCapabilities? TextDocument { get; init; }
    public WindowClientCapabilities? Window { get; init; }
    public GeneralClientCapabilities? General { get; init; }

    /// <summary>Client extensions; <c>experimental.ociFixIts: true</c> asks for <c>oci/fixIts</c> notifications (PROTOCOL.md).</summary>
    public System.Text.Json.JsonElement? Experimental { get; init; }
}

public sealed record WorkspaceClientCapabilities
{
    public bool? ApplyEdit { get; init; }
    public WorkspaceEditClientCapabilities? WorkspaceEdit { get; init; }
    public bool? Configuration { get; init; }
    public bool? WorkspaceFolders { get; init; }
    public DynamicRegistrationCapability? DidChangeWatchedFiles { get; init; }
}

public sealed record DynamicRegistrationCapability
{
    public bool? DynamicRegistration { get; init; }
}

public sealed record WorkspaceEditClientCapabilities
{
    public bool? DocumentChanges { get; init; }
    public IReadOnlyList<string>? ResourceOperations { get; init; }
    public object? ChangeAnnotationSupport { get; init; }
}

public sealed record TextDocumentClientCapabilities
{
    public CodeActionClientCapabilities? CodeAction { get; init; }
}

public sealed record CodeActionClientCapabilities
{
    /// <summary>Present when the client accepts <see cref="CodeAction"/> literals (otherwise it gets bare <see cref="Command"/>s).</summary>
    public object? CodeActionLiteralSupport { get; init; }
    public bool? DataSupport { get; init; }
}

public sealed record WindowClientCapabilities
{
    public bool? WorkDoneProgress { get; init; }
}

public sealed record GeneralClientCapabilities
{
    public IReadOnlyList<string>? PositionEncodings { get; init; }
}
