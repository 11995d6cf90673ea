using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace.Processes;
using OCI.Workspace.Testing;

/// <summary>
/// `dotnet run -c Release --project bench/OCI.Workspace.Benchmarks -- mtp [runs]`: what a failing test round costs on
/// Microsoft.Testing.Platform. tests/fixtures/MtpFailing (one test project per framework, each with a failing test,
/// under an MTP global.json) is copied and built once; then per project, alternating so the machine's load hits all
/// alike: the round's runner (<see cref="TestRoundRunner"/>: the built test application itself, with its report) against
/// `dotnet test --project P --no-build` and `dotnet test --project P` (what a user runs; MTP mode). Medians; no sandbox
/// on either side, so the figures compare runners only.
/// </summary>
internal static class MtpRoundCost
{
    public static async Task<int> RunAsync(int runs, string repository)
    {
        var container = Path.Combine(Path.GetTempPath(), "oci-bench-mtp", Guid.NewGuid().ToString("N")[..8]);
        var root = Path.Combine(container, "ws");
        try
        {
            FixtureFiles.Copy(Path.Combine(repository, "tests", "fixtures"), "MtpFailing", root);
            var build = await ProcessRunner.RunAsync("dotnet", ["build", "MtpFailing.slnx", "-c", "Release", "-nologo"], root, TimeSpan.FromMinutes(15), CancellationToken.None);
            if (build.ExitCode != 0)
            {
                Console.Error.WriteLine(build.StandardOutput + build.StandardError);
                return 1;
            }
            Console.WriteLine($"MTP failing round: tests/fixtures/MtpFailing built in {root}; {runs} runs per figure (median), no sandbox");
            var scope = new IsolationScope(ProcessSandbox.None, new Dictionary<string, string?>(), [container], []);
            using var runner = new TestRoundRunner(root, scope, useWarmHost: true, NullLogger.Instance);
            var round = 0;
            string Fresh() => Path.Combine(container, "results", (++round).ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var project in new[] { "Xunit3.Tests", "NUnit.Tests", "MSTest.Tests", "TUnit.Tests" })
            {
                var assembly = Path.Combine(root, project, "bin", "Release", "net10.0", project + ".dll");
                async Task<TimeSpan> Ours()
                {
                    var watch = Stopwatch.StartNew();
                    var outcome = await runner.RunAsync([assembly], root, Fresh, null, TimeSpan.FromMinutes(5), p => p, CancellationToken.None);
                    if (outcome.Crashed || outcome.Results.Count(r => r.Outcome == OCI.Workspace.Verification.TestOutcome.Failed) != 1) throw new InvalidOperationException($"{project}: unexpected outcome\n{outcome.Output}");
                    return watch.Elapsed;
                }
                async Task<TimeSpan> DotnetTest(bool noBuild)
                {
                    var watch = Stopwatch.StartNew();
                    string[] arguments = noBuild ? ["test", "--project", $"{project}/{project}.csproj", "-c", "Release", "--no-build"] : ["test", "--project", $"{project}/{project}.csproj", "-c", "Release"];
                    var result = await ProcessRunner.RunAsync("dotnet", arguments, root, TimeSpan.FromMinutes(5), CancellationToken.None);
                    if (result.ExitCode is not (1 or 2)) throw new InvalidOperationException($"{project}: dotnet test exited {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
                    return watch.Elapsed;
                }
                await Ours();
                await DotnetTest(true);
                var ours = new List<TimeSpan>();
                var noBuildTimes = new List<TimeSpan>();
                var withBuild = new List<TimeSpan>();
                for (var i = 0; i < runs; i++)
                {
                    ours.Add(await Ours());
                    noBuildTimes.Add(await DotnetTest(true));
                    withBuild.Add(await DotnetTest(false));
                }
                var median = Median(ours);
                Console.WriteLine($"{project,-14} test application {median.TotalSeconds,5:F2} s | dotnet test --no-build {Median(noBuildTimes).TotalSeconds,5:F2} s ({Median(noBuildTimes) / median:F1}x) | dotnet test {Median(withBuild).TotalSeconds,5:F2} s ({Median(withBuild) / median:F1}x)");
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(container, recursive: true); } catch (IOException) { }
        }
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
