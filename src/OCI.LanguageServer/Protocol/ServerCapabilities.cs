namespace OCI.LanguageServer.Protocol;

public sealed record ServerCapabilities
{
    public string? PositionEncoding { get; init; }
    public TextDocumentSyncOptions? TextDocumentSync { get; init; }
    public CodeActionOptions? CodeActionProvider { get; init; }
    public ExecuteCommandOptions? ExecuteCommandProvider { get; init; }
    public WorkspaceServerCapabilities? Workspace { get; init; }
}

/// <summary>Values of <c>TextDocumentSyncKind</c>.</summary>
public enum TextDocumentSyncKind { None = 0, Full = 1, Incremental = 2 }

public sealed record SaveOptions(bool IncludeText);

public sealed record TextDocumentSyncOptions(bool OpenClose, TextDocumentSyncKind Change, SaveOptions? Save);

public sealed record CodeActionOptions(IReadOnlyList<string> CodeActionKinds, bool ResolveProvider);

public sealed record ExecuteCommandOptions(IReadOnlyList<string> Commands);

public sealed record WorkspaceFoldersServerCapabilities(bool Supported, bool ChangeNotifications);

public sealed record WorkspaceServerCapabilities(WorkspaceFoldersServerCapabilities? WorkspaceFolders);
