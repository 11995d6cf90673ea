using System.Diagnostics;
using System.Globalization;
using System.Text;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>
/// Runs Microsoft.Testing.Platform test applications the way the platform intends: each built test application itself
/// (<c>dotnet exec &lt;dll&gt;</c>, no <c>dotnet test</c> and no MSBuild evaluation), all at once, in the sandbox, with
/// the platform's options. Per-test results come from a structured source, never from console text: the platform's
/// server mode (<see cref="TestApplicationServerRun"/>; the TRX extension would start the application twice), except
/// for xunit.v3 applications that write xunit's own TRX in-process (native or <c>--report-xunit-trx</c>), which is as
/// fast; the TRX extension or NUnit's result XML (its run settings' <c>TestOutputXml</c>) only where the test host is
/// not shipped. The exit code is read as the platform documents it
/// (<see cref="MtpExitCodes"/>): 2 is failed tests, 8 zero tests (ordinary for a filter that selects nothing in one
/// application), anything else besides 0 a crash whose meaning is reported.
/// </summary>
public static class TestApplicationRun
{
    /// <summary>The report each application can write, decided from what ships beside it.</summary>
    private enum ReportSource { Trx, XunitTrx, XunitNativeTrx, NUnitXml, None }

    public static async Task<TestRunOutcome> RunAsync(
        IReadOnlyList<(string Assembly, TestApplicationKind Kind)> applications,
        string resultsDirectory,
        string? filter,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        IsolationScope scope,
        CancellationToken cancellationToken,
        WarmTestHost? warmHost = null)
    {
        // Applications whose results come from server mode run together in the warm host, when there is one.
        var serverMode = warmHost is null ? [] : applications.Where(a => UsesServerMode(a.Assembly, a.Kind)).ToList();
        var tasks = applications.Except(serverMode).Select((a, i) =>
            RunOneAsync(a.Assembly, a.Kind, Path.Combine(resultsDirectory, i.ToString(CultureInfo.InvariantCulture)), filter, timeout, mapPath, scope, cancellationToken)).ToList();
        if (serverMode.Count > 0)
        {
            tasks.Add(TestApplicationServerRun.RunWarmAsync(warmHost!, serverMode, Path.Combine(resultsDirectory, "warm"), filter, timeout, PipeEnvironment(scope), mapPath, cancellationToken));
        }
        var runs = await Task.WhenAll(tasks).ConfigureAwait(false);
        var results = runs.SelectMany(r => r.Results).ToList();
        results.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var flood = runs.Select(r => r.OutputFloodCharacters).FirstOrDefault(f => f is not null);
        return new TestRunOutcome(
            results,
            runs.Any(r => r.TimedOut),
            runs.Any(r => r.Crashed),
            runs.Select(r => r.ExitCode).FirstOrDefault(c => c is not (0 or 2 or 8), runs[0].ExitCode),
            [.. runs.SelectMany(r => r.RunMessages)],
            string.Concat(runs.Select(r => r.Output)),
            runs.Max(r => r.Elapsed),
            TestRunners.TestApplication)
        {
            OutputFloodCharacters = flood,
            Survivors = [.. runs.SelectMany(r => r.Survivors)],
            Sandboxed = runs.All(r => r.Sandboxed),
        };
    }

    private static async Task<TestRunOutcome> RunOneAsync(
        string assembly, TestApplicationKind kind, string resultsDirectory, string? filter, TimeSpan timeout,
        Func<string, string?> mapPath, IsolationScope scope, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(resultsDirectory);
        var folder = Path.GetDirectoryName(assembly)!;
        var name = Path.GetFileNameWithoutExtension(assembly);
        var source = SourceFor(assembly, kind.Framework);
        if (UsesServerMode(assembly, kind) && WarmTestHost.FindHostAssembly() is { } host)
        {
            // The platform's server mode: structured results in-process (the TRX extension would start it twice), and
            // results at all where no report extension ships.
            return await TestApplicationServerRun.RunAsync(host, assembly, kind, resultsDirectory, filter, timeout, PipeEnvironment(scope), mapPath, scope, cancellationToken).ConfigureAwait(false);
        }
        var native = source == ReportSource.XunitNativeTrx;
        var arguments = new List<string> { "exec", assembly };
        var reportPath = Path.Combine(resultsDirectory, source == ReportSource.NUnitXml ? name + ".xml" : name + ".trx");
        switch (source)
        {
            case ReportSource.Trx:
                arguments.AddRange(["--report-trx", "--report-trx-filename", Path.GetFileName(reportPath)]);
                break;
            case ReportSource.XunitTrx:
                arguments.AddRange(["--report-xunit-trx", "--report-xunit-trx-filename", Path.GetFileName(reportPath)]);
                break;
            case ReportSource.XunitNativeTrx:
                arguments.AddRange(["-trx", reportPath, "-noLogo", "-noColor"]);
                break;
            case ReportSource.NUnitXml:
                var settings = Path.Combine(resultsDirectory, "nunit.runsettings");
                await File.WriteAllTextAsync(settings, NUnitRunSettings(resultsDirectory), cancellationToken).ConfigureAwait(false);
                arguments.AddRange(["--settings", settings]);
                break;
        }
        if (!native)
        {
            arguments.AddRange(["--results-directory", resultsDirectory, "--no-ansi", "--no-progress"]);
            // The platform's own timeout ends the session and still writes the report; the process timeout is the backstop.
            if (PlatformMajorVersion(folder) >= 2) arguments.AddRange(["--timeout", $"{Math.Max(1, (int)(timeout.TotalSeconds * 0.75))}s"]);
        }
        var selected = TestApplicationFilters.Arguments(kind.Framework, native, filter);
        arguments.AddRange(selected ?? []);

        var result = await ProcessRunner.RunAsync(scope.Launch("dotnet", arguments, folder, PipeEnvironment(scope)), scope.Sandbox, timeout, cancellationToken).ConfigureAwait(false);

        var messages = new List<string>();
        var results = new List<TestCaseResult>();
        if (File.Exists(reportPath))
        {
            try
            {
                var xml = await File.ReadAllTextAsync(reportPath, cancellationToken).ConfigureAwait(false);
                var run = source == ReportSource.NUnitXml ? NUnitXmlParser.Parse(xml, mapPath) : TrxParser.Parse(xml, mapPath);
                results.AddRange(run.Results);
                messages.AddRange(run.RunMessages.Where(m => !IsPlatformNoise(m)));
            }
            catch (System.Xml.XmlException e)
            {
                messages.Add($"unreadable test results of {name}: {e.Message}");
            }
        }
        else if (source == ReportSource.None && !result.TimedOut)
        {
            messages.Add($"{name} has no report extension (Microsoft.Testing.Extensions.TrxReport): its tests ran, but only its exit code tells the outcome");
        }
        // Counted before narrowing: a failure among the tests the framework's filter selected beyond ours explains the exit code.
        var end = ApplicationEnd.Read(name, result.ExitCode, resultsComplete: true, results.Count(r => r.Outcome == TestOutcome.Failed), filter, result.TimedOut,
            xunitNative: native, onlyExitCode: source == ReportSource.None);
        if (selected is null || kind.Framework is TestFramework.XunitV3 or TestFramework.TUnit)
        {
            results.RemoveAll(r => !TestApplicationFilters.Keeps(filter, r.Name));
        }
        if (source == ReportSource.None && result.ExitCode == MtpExitCodes.TestsFailed)
        {
            results.Add(new TestCaseResult(name, TestOutcome.Failed, $"{name} reported failed tests (exit code {MtpExitCodes.Describe(result.ExitCode)}); see the output"));
        }
        messages.AddRange(end.Messages);
        if (end.Stopped) messages.Add(TestApplicationServerRun.NotFinished(filter, results, []));
        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"--- {name} ---\n").Append(result.StandardOutput).Append(result.StandardError);
        return new TestRunOutcome(results, end.Stopped, end.Crashed && !result.OutputLimitExceeded, result.ExitCode, messages, output.ToString(), result.Elapsed, TestRunners.TestApplication)
        {
            OutputFloodCharacters = result.OutputLimitExceeded ? result.OutputCharacters : null,
            Survivors = result.Survivors,
            Sandboxed = result.Sandboxed,
        };
    }

    /// <summary>Whether the application's results come from server mode: all but xunit.v3's that write xunit's own TRX in-process.</summary>
    private static bool UsesServerMode(string assembly, TestApplicationKind kind) =>
        SourceFor(assembly, kind.Framework) is ReportSource.Trx or ReportSource.NUnitXml or ReportSource.None;

    /// <summary>The structured report <paramref name="assembly"/>'s application can write.</summary>
    private static ReportSource SourceFor(string assembly, TestFramework framework)
    {
        var folder = Path.GetDirectoryName(assembly)!;
        if (framework == TestFramework.XunitV3)
        {
            // xunit.v3's generated entry point runs xunit's native console runner unless the platform is asked for
            // (--server) or the project opted into the platform only (UseMicrosoftTestingPlatformRunner).
            return HasDualEntryPoint(assembly) ? ReportSource.XunitNativeTrx
                : File.Exists(Path.Combine(folder, "Microsoft.Testing.Extensions.TrxReport.dll")) ? ReportSource.Trx : ReportSource.XunitTrx;
        }
        if (File.Exists(Path.Combine(folder, "Microsoft.Testing.Extensions.TrxReport.dll"))) return ReportSource.Trx;
        if (framework == TestFramework.NUnit && File.Exists(Path.Combine(folder, "NUnit3.TestAdapter.dll"))) return ReportSource.NUnitXml;
        return ReportSource.None;
    }

    /// <summary>
    /// Whether xunit.v3's generated entry point chooses between its native runner and the platform (it tests for
    /// "--internal-msbuild-node"). Kept per assembly file as it is (path, size, time): a round asks twice per application,
    /// and reading a test assembly whole each time is I/O a round need not pay when the entry point did not change.
    /// </summary>
    private static bool HasDualEntryPoint(string assembly)
    {
        try
        {
            var info = new FileInfo(assembly);
            var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
            if (DualEntryPoints.TryGetValue(key, out var known)) return known;
            var bytes = File.ReadAllBytes(assembly);
            var dual = bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes("--internal-msbuild-node")) >= 0;
            if (DualEntryPoints.Count > 256) DualEntryPoints.Clear();
            DualEntryPoints[key] = dual;
            return dual;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, long Length, DateTime Written), bool> DualEntryPoints = new();

    /// <summary>
    /// The platform talks to its out-of-process extensions (the TRX report among them) over Unix domain sockets in the
    /// temp folder, whose path may not exceed 103 bytes: a deep shadow temp folder aborts the application (exit 134).
    /// Such runs put the sockets in /tmp (the sandbox's own empty /tmp when it is active). The temp folder must exist.
    /// </summary>
    private static Dictionary<string, string?>? PipeEnvironment(IsolationScope scope)
    {
        var temp = scope.Environment.TryGetValue("TMPDIR", out var configured) && configured is { Length: > 0 } ? configured : Path.GetTempPath();
        Directory.CreateDirectory(temp);
        return OperatingSystem.IsWindows() || temp.Length <= MaxPipeDirectoryLength ? null : new() { ["TESTINGPLATFORM_PIPE_DIRECTORY"] = "/tmp" };
    }

    /// <summary>103 bytes less the platform's socket names (about 48 characters).</summary>
    private const int MaxPipeDirectoryLength = 50;

    private static int PlatformMajorVersion(string folder)
    {
        var platform = Path.Combine(folder, "Microsoft.Testing.Platform.dll");
        return File.Exists(platform) ? FileVersionInfo.GetVersionInfo(platform).FileMajorPart : 0;
    }

    /// <summary>NUnit's runner writes its own result file into the folder these settings name.</summary>
    private static string NUnitRunSettings(string folder) =>
        new System.Xml.Linq.XElement("RunSettings",
            new System.Xml.Linq.XElement("NUnit",
                new System.Xml.Linq.XElement("TestOutputXml", folder))).ToString();

    /// <summary>Lines the TRX extension writes about itself, not about the tests.</summary>
    private static bool IsPlatformNoise(string message) => message.StartsWith("Microsoft Testing Platform", StringComparison.Ordinal);
}
