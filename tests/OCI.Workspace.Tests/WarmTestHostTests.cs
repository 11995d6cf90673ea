using OCI.TestHost;
using OCI.Workspace.Processes;
using OCI.Workspace.Testing;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>The warm host's process handling where the host itself fails (the scenario tests cover real rounds).</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class WarmTestHostTests
{
    [Fact]
    public async Task A_host_that_exits_at_start_is_a_crash_with_its_error_not_an_exception()
    {
        var folder = Directory.CreateTempSubdirectory("oci-warmhost-").FullName;
        try
        {
            using var host = new WarmTestHost(Path.Combine(folder, "missing.dll"), folder,
                new IsolationScope(ProcessSandbox.Create(SandboxMode.Auto), new Dictionary<string, string?>(), [folder], []));
            var outcome = await host.RunAsync(new TestHostRequest([Path.Combine(folder, "Tests.dll")], folder, [], false),
                TimeSpan.FromSeconds(30), p => p, CancellationToken.None);
            Assert.True(outcome.Crashed);
            Assert.False(outcome.TimedOut);
            Assert.Empty(outcome.Results);
            Assert.Equal(TestRunners.WarmHost, outcome.Runner);
            Assert.Contains("missing.dll", outcome.Output, StringComparison.Ordinal);
            Assert.False(host.IsRunning);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
