namespace OCI.LanguageServer.Protocol;

/// <summary>Values of <c>FileChangeType</c>.</summary>
public static class FileChangeType
{
    public const int Created = 1;
    public const int Changed = 2;
    public const int Deleted = 3;
}

public sealed record FileEvent(string Uri, int Type);

public sealed record DidChangeWatchedFilesParams(IReadOnlyList<FileEvent> Changes);

public sealed record FileSystemWatcher(string GlobPattern);

public sealed record DidChangeWatchedFilesRegistrationOptions(IReadOnlyList<FileSystemWatcher> Watchers);

public sealed record Registration(string Id, string Method, object? RegisterOptions);

public sealed record RegistrationParams(IReadOnlyList<Registration> Registrations);

public sealed record WorkspaceFoldersChangeEvent(IReadOnlyList<WorkspaceFolder> Added, IReadOnlyList<WorkspaceFolder> Removed);

public sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent Event);
