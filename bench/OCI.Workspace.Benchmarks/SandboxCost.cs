using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

/// <summary>
/// `dotnet run -c Release --project bench/OCI.Workspace.Benchmarks -- sandbox [runs]`: what the bubblewrap sandbox costs
/// per round. The same rounds on two copies of tests/fixtures/Passing, one host with the sandbox (auto, must be active)
/// and one with it off, alternating so that the machine's load hits both alike: a failing round (warm test host), a
/// passing round (fast round + confirming MSBuild build + tests), a failing round through dotnet test; and the bare
/// launch of /bin/true through the launcher. Medians; the difference is the sandbox's cost.
/// </summary>
internal static class SandboxCost
{
    public static async Task<int> RunAsync(int runs, string repository)
    {
        var sandbox = ProcessSandbox.Create(SandboxMode.Required);
        if (!sandbox.IsActive)
        {
            Console.Error.WriteLine("no sandbox here: " + sandbox.UnavailableReason);
            return 1;
        }
        var container = Path.Combine(Path.GetTempPath(), "oci-bench-sandbox", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"sandbox cost: {runs} runs per figure (median), fixture tests/fixtures/Passing, {sandbox.Status}");

            // 1. One launch of /bin/true.
            var folder = Path.Combine(container, "launch");
            Directory.CreateDirectory(folder);
            IsolatedLaunch True() => new("/bin/true", [], folder, ProcessSandbox.IsolatedEnvironment(folder, folder), [folder]);
            var off = ProcessSandbox.Create(SandboxMode.Off);
            for (var i = 0; i < 5; i++)
            {
                await ProcessRunner.RunAsync(True(), sandbox, TimeSpan.FromMinutes(1), CancellationToken.None);
                await ProcessRunner.RunAsync(True(), off, TimeSpan.FromMinutes(1), CancellationToken.None);
            }
            var (launchOn, launchOff) = await PairAsync(runs * 4,
                () => ProcessRunner.RunAsync(True(), sandbox, TimeSpan.FromMinutes(1), CancellationToken.None),
                () => ProcessRunner.RunAsync(True(), off, TimeSpan.FromMinutes(1), CancellationToken.None));
            Report("launch of /bin/true", launchOn, launchOff);

            // 2. Rounds through the warm test host, then through dotnet test.
            foreach (var warmHost in new[] { true, false })
            {
                await using var on = await OpenAsync(repository, Path.Combine(container, $"on-{warmHost}"), SandboxMode.Auto, warmHost);
                await using var plain = await OpenAsync(repository, Path.Combine(container, $"off-{warmHost}"), SandboxMode.Off, warmHost);
                if (!on.Host.Sandbox.IsActive) throw new InvalidOperationException("the sandboxed host has no sandbox");
                for (var i = 0; i < 2; i++)
                {
                    await on.RoundAsync(passing: false);
                    await plain.RoundAsync(passing: false);
                }
                var runner = warmHost ? "warm test host" : "dotnet test";
                var (failOn, failOff) = await PairAsync(runs, () => on.RoundAsync(passing: false), () => plain.RoundAsync(passing: false));
                Report($"failing round ({runner})", failOn, failOff);
                if (warmHost)
                {
                    var (passOn, passOff) = await PairAsync(runs, () => on.RoundAsync(passing: true), () => plain.RoundAsync(passing: true));
                    Report("passing round (+ build)", passOn, passOff);
                }
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(container, recursive: true); } catch (IOException) { }
        }
    }

    private static void Report(string what, TimeSpan on, TimeSpan off) =>
        Console.WriteLine($"   {what,-32} sandbox {on.TotalMilliseconds,8:F1} ms   off {off.TotalMilliseconds,8:F1} ms   cost {(on - off).TotalMilliseconds,7:F1} ms");

    /// <summary>Runs the two alternately, <paramref name="runs"/> times each; the medians.</summary>
    private static async Task<(TimeSpan A, TimeSpan B)> PairAsync(int runs, Func<Task> a, Func<Task> b)
    {
        var timesA = new List<TimeSpan>();
        var timesB = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await a();
            timesA.Add(watch.Elapsed);
            watch.Restart();
            await b();
            timesB.Add(watch.Elapsed);
        }
        timesA.Sort();
        timesB.Sort();
        return (timesA[runs / 2], timesB[runs / 2]);
    }

    private static async Task<Fixture> OpenAsync(string repository, string container, SandboxMode mode, bool warmHost)
    {
        var root = Path.Combine(container, "ws");
        FixtureFiles.Copy(Path.Combine(repository, "tests", "fixtures"), "Passing", root);
        var settings = new VerificationSettings { ShadowRoot = Path.Combine(container, "shadow"), Sandbox = mode, WarmTestHost = warmHost };
        var host = await MSBuildWorkspaceHost.OpenAsync(root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        return new Fixture(host, Path.Combine(root, "Calc", "Calculator.cs"));
    }

    private sealed class Fixture(MSBuildWorkspaceHost host, string calculator) : IAsyncDisposable
    {
        private readonly string _original = File.ReadAllText(calculator);
        private int _edits;

        public MSBuildWorkspaceHost Host => host;

        public async Task RoundAsync(bool passing)
        {
            var edit = passing
                ? _original.Replace("return a + b;", $"return a + b + {++_edits} * 0;", StringComparison.Ordinal)
                : _original.Replace("return a + b;", $"return a - b + {++_edits} * 0;", StringComparison.Ordinal);
            var result = await host.VerifyAsync(new VerificationRequest([new FileChange(calculator, edit)]), null, CancellationToken.None);
            var expected = passing ? VerificationStatus.Passed : VerificationStatus.TestsFailed;
            if (result.Status != expected) throw new InvalidOperationException($"round: {result.Status}, expected {expected}: {result.Message}");
        }

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
