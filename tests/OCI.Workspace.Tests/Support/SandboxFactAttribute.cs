using OCI.Workspace.Processes;

namespace OCI.Workspace.Tests.Support;

/// <summary>
/// A test that needs bubblewrap. It is skipped only where bwrap is installed but cannot create its namespaces (a
/// container that forbids user namespaces): that is the machine's limit, not a failure. A missing bwrap is not a
/// reason to skip — CI installs it (.ci/run) — so the test runs and fails with the launcher's message.
/// </summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "the sandbox exists only on Linux";
            return;
        }
        var sandbox = ProcessSandbox.Create(SandboxMode.Required);
        if (!sandbox.IsActive && sandbox.UnavailableReason?.Contains("cannot create its namespaces", StringComparison.Ordinal) == true)
        {
            Skip = sandbox.UnavailableReason;
        }
    }
}
