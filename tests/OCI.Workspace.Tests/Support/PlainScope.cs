using OCI.Workspace.Processes;

namespace OCI.Workspace.Tests.Support;

/// <summary>No sandbox and the server's own environment: for tests about the runners themselves, not about isolation.</summary>
public static class PlainScope
{
    public static IsolationScope For(string folder) => new(ProcessSandbox.None, new Dictionary<string, string?>(), [folder], []);
}
