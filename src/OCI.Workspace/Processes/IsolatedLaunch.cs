namespace OCI.Workspace.Processes;

/// <summary>
/// One launch of a process that runs generated code: the program, its arguments and environment, and what the sandbox
/// must let it write. Callers describe *what* they start; <see cref="ProcessSandbox"/> decides *how* (wrapped in
/// bubblewrap or not), so every such launch — build, warm test host, <c>dotnet test</c>, benchmark child — is contained
/// the same way.
/// </summary>
/// <param name="FileName">The program (e.g. <c>dotnet</c>); resolved on the PATH when not rooted.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="WorkingDirectory">Its working directory (should be inside one of <see cref="WritablePaths"/>).</param>
/// <param name="Environment">Variables to set (null: remove); applied over the server's environment.</param>
/// <param name="WritablePaths">The only folders the process may write (the shadow container, a run folder).</param>
public sealed record IsolatedLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<string> WritablePaths)
{
    /// <summary>Folders the process must not even see (the user's workspace): an empty tmpfs is mounted over them.</summary>
    public IReadOnlyList<string> HiddenPaths { get; init; } = [];
}
