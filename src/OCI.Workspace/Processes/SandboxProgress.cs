namespace OCI.Workspace.Processes;

/// <summary>
/// Progress of a check that runs generated code: without a sandbox every report says so, so the user never reads
/// "running tests…" without knowing that the tests run with their rights.
/// </summary>
public static class SandboxProgress
{
    public const string NoSandboxPrefix = "[no sandbox] ";

    public static IProgress<string>? Wrap(IProgress<string>? progress, ProcessSandbox sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        return progress is null || sandbox.IsActive ? progress : new Prefixed(progress);
    }

    private sealed class Prefixed(IProgress<string> inner) : IProgress<string>
    {
        public void Report(string value) => inner.Report(NoSandboxPrefix + value);
    }
}
