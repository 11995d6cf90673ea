namespace OCI.Workspace;

/// <summary>What loading the user's workspace found: the projects that loaded and a clear line for each that did not.</summary>
public sealed record WorkspaceLoadReport(
    string Root,
    IReadOnlyList<string> LoadedProjects,
    IReadOnlyList<string> Problems);
