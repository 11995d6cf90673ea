namespace OCI.Workspace.Processes;

/// <summary>
/// Where the generated code of one shadow copy (or one benchmark run) may act: the launcher, the isolated environment,
/// the folders it may write and the folders it must not see. Every launch for that copy is made from it, so the build,
/// the warm test host and <c>dotnet test</c> are contained alike.
/// </summary>
public sealed record IsolationScope(
    ProcessSandbox Sandbox,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<string> WritablePaths,
    IReadOnlyList<string> HiddenPaths)
{
    /// <summary>A launch of <paramref name="fileName"/> in this scope, with extra variables over the scope's own.</summary>
    public IsolatedLaunch Launch(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(Environment);
        if (extraEnvironment is not null)
        {
            foreach (var (key, value) in extraEnvironment) environment[key] = value;
        }
        return new IsolatedLaunch(fileName, arguments, workingDirectory, environment, WritablePaths) { HiddenPaths = HiddenPaths };
    }

    /// <summary>The scope of a shadow copy: write only its container (copy, HOME, TMP), never see the user's tree.</summary>
    public static IsolationScope ForShadow(ProcessSandbox sandbox, string container, string home, string temp, string userRoot) =>
        new(sandbox, ProcessSandbox.IsolatedEnvironment(home, temp), [container], [userRoot]);
}
