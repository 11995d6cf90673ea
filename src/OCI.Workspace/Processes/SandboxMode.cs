namespace OCI.Workspace.Processes;

/// <summary>
/// Whether processes that run generated code run in the OS sandbox (setting <c>oci.verification.sandbox</c>).
/// </summary>
public enum SandboxMode
{
    /// <summary>Sandbox where the OS has one (Linux with bubblewrap); otherwise run without and say so.</summary>
    Auto,

    /// <summary>Refuse to run generated code when no sandbox is available.</summary>
    Required,

    /// <summary>Never sandbox (the shadow copy, the redirected HOME/TMP and the process reaping still apply).</summary>
    Off,
}
