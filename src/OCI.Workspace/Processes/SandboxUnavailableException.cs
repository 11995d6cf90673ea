namespace OCI.Workspace.Processes;

/// <summary>
/// Thrown instead of starting generated code when <see cref="SandboxMode.Required"/> is set and no sandbox is
/// available; the message says why and how to get one.
/// </summary>
public sealed class SandboxUnavailableException(string message) : InvalidOperationException(message);
