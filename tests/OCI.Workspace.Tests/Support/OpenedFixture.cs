using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;

namespace OCI.Workspace.Tests.Support;

/// <summary>A fixture copy opened with <see cref="MSBuildWorkspaceHost"/>; shared by the tests of a class (loading costs seconds).</summary>
public abstract class OpenedFixture : IAsyncLifetime
{
    protected OpenedFixture(string fixtureName, string? parent = null) => Copy = WorkspaceCopy.OfFixture(fixtureName, parent);

    public WorkspaceCopy Copy { get; }

    public MSBuildWorkspaceHost Host { get; private set; } = null!;

    public List<string> Progress { get; } = [];

    /// <summary>The user's tree right after loading (restore included): verification must leave it byte-identical.</summary>
    public SortedDictionary<string, string> TreeAfterLoad { get; private set; } = null!;

    /// <summary>
    /// Known failures are measured only where a test is about them (the measurement is a build and a test run). The
    /// build's limit is stretched by the machine's load (<see cref="TestWaits"/>): a first build under parallel builds.
    /// </summary>
    protected virtual VerificationSettings Settings => new()
    {
        ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 60, KnownFailuresOnLoad = false,
        BuildTimeoutSeconds = (int)TestWaits.Scaled(TimeSpan.FromSeconds(180)).TotalSeconds,
    };

    /// <summary>Runs on the copy before it is loaded (a test that needs a repository commits it here).</summary>
    protected virtual void Prepare()
    {
    }

    public async Task InitializeAsync()
    {
        Prepare();
        var progress = new SynchronousProgress(line => { lock (Progress) Progress.Add(line); });
        Host = await MSBuildWorkspaceHost.OpenAsync(Copy.Root, Settings, NullLoggerFactory.Instance, progress, CancellationToken.None);
        TreeAfterLoad = TreeSnapshot.Take(Copy.Root);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Copy.Dispose();
    }
}

public sealed class SynchronousProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}

public sealed class PassingFixture() : OpenedFixture("Passing");

public sealed class CompileErrorFixture() : OpenedFixture("CompileError");

public sealed class FailingTestFixture() : OpenedFixture("FailingTest");

public sealed class DestructiveFixture() : OpenedFixture("Destructive");

public sealed class BrokenProjectFixture() : OpenedFixture("BrokenProject");

public sealed class HangingTestFixture() : OpenedFixture("HangingTest")
{
    /// <summary>Short, so the suite stays fast: the hang must be cut within this.</summary>
    public const int TimeoutSeconds = 8;

    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = TimeoutSeconds, KnownFailuresOnLoad = false };
}

public sealed class NUnitFailingFixture() : OpenedFixture("NUnitFailing");

public sealed class MSTestFailingFixture() : OpenedFixture("MSTestFailing");

public sealed class MtpFailingFixture() : OpenedFixture("MtpFailing")
{
    /// <summary>Four test projects to build in the shadow copy: generous, the machine may be busy.</summary>
    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 180, BuildTimeoutSeconds = 900, KnownFailuresOnLoad = false };
}
