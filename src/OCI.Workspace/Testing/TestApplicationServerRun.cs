using System.Globalization;
using System.Text;
using OCI.TestHost;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>
/// Runs one Microsoft.Testing.Platform test application in the platform's server mode through the test host's
/// <c>--mtp-client</c> (OCI.TestHost's PlatformServerClient), which runs beside it in the sandbox, speaks the
/// platform's JSON-RPC and prints each finished test as a host event. Why: per-test results (name, outcome, message
/// with expected/actual, stack, output) come in-process, from the platform itself, for every framework; the TRX report
/// extension starts the application twice (it runs as its own out-of-process controller), about 0.5 s per application
/// per round. The filter goes as the framework's own option (<see cref="TestApplicationFilters"/>), except TUnit's
/// tree-node filter, which the platform takes in server mode only from the run request.
/// On a timeout the run is stopped; the tests the filter names that had not reported are named as not finished (the
/// platform reports no test as running while it runs).
/// </summary>
public static class TestApplicationServerRun
{
    /// <summary>Event lines of a whole suite (about 200 characters per test) must survive the output bound whole.</summary>
    private const int EventOutputLimit = 16 * 1024 * 1024;

    public static async Task<TestRunOutcome> RunAsync(
        string hostAssembly, string assembly, TestApplicationKind kind, string resultsDirectory, string? filter, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment,
        Func<string, string?> mapPath, IsolationScope scope, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(resultsDirectory);
        var name = Path.GetFileNameWithoutExtension(assembly);
        var arguments = new List<string> { "exec", hostAssembly, "--mtp-client", assembly };
        // No --timeout: results arrive as each test finishes, so stopping the process loses nothing, and a session the
        // platform cancels may end with exit code 0 (NUnit's does) as if all had run.
        var (own, requestFilter, narrow) = ArgumentsFor(kind, resultsDirectory, filter);
        if (requestFilter is not null) arguments.AddRange(["--request-filter", requestFilter]);
        arguments.Add("--");
        arguments.AddRange(own);

        var result = await ProcessRunner.RunAsync(
            scope.Launch("dotnet", arguments, Path.GetDirectoryName(assembly)!, environment), scope.Sandbox, timeout, cancellationToken, outputLimit: EventOutputLimit).ConfigureAwait(false);

        var transcript = TestHostTranscript.Parse(result.StandardOutput.Split('\n'), mapPath);
        var results = transcript.Results.ToList();
        // Counted before narrowing: a failure among the tests the framework's filter selected beyond ours explains exit code 2.
        var end = ApplicationEnd.Read(name, result.ExitCode, transcript.Done, results.Count(r => r.Outcome == TestOutcome.Failed), filter, result.TimedOut);
        if (narrow) results.RemoveAll(r => !TestApplicationFilters.Keeps(filter, r.Name));
        var messages = transcript.RunMessages.ToList();
        if (end.Stopped) messages.Add(NotFinished(filter, results, transcript.Running));
        messages.AddRange(end.Messages);

        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"--- {name} ---\n").Append(transcript.Output);
        if (transcript.StrayOutput.Count > 0) output.Append(string.Join('\n', transcript.StrayOutput)).Append('\n');
        output.Append(result.StandardError);
        var flood = transcript.FloodCharacters ?? (result.OutputLimitExceeded ? result.OutputCharacters : null);
        return new TestRunOutcome(results, end.Stopped, end.Crashed && flood is null, result.ExitCode, messages, output.ToString(), result.Elapsed, TestRunners.TestApplication)
        {
            OutputFloodCharacters = flood,
            Survivors = [.. result.Survivors, .. transcript.Survivors],
            Sandboxed = result.Sandboxed,
        };
    }

    /// <summary>
    /// All of a round's server-mode applications through the warm test host (<paramref name="host"/>, kept per shadow
    /// copy, in the sandbox): it starts them as its children, side by side, and speaks the protocol itself, so a round
    /// starts no client process. A timeout stops the host and its applications; the next round starts a fresh host.
    /// </summary>
    public static async Task<TestRunOutcome> RunWarmAsync(
        WarmTestHost host, IReadOnlyList<(string Assembly, TestApplicationKind Kind)> applications, string resultsDirectory, string? filter, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment, Func<string, string?> mapPath, CancellationToken cancellationToken)
    {
        var requests = new List<PlatformApplicationRequest>();
        var narrowed = false;
        foreach (var (assembly, kind, index) in applications.Select((a, i) => (a.Assembly, a.Kind, i)))
        {
            var directory = Path.Combine(resultsDirectory, index.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var (arguments, requestFilter, narrow) = ArgumentsFor(kind, directory, filter);
            narrowed |= narrow;
            requests.Add(new PlatformApplicationRequest(assembly, arguments, requestFilter, environment));
        }
        var request = new TestHostRequest([], Path.GetDirectoryName(applications[0].Assembly)!, [], false, requests);
        var run = await host.ExecuteAsync(request, timeout, mapPath, cancellationToken).ConfigureAwait(false);
        var transcript = run.Transcript;

        var results = transcript.Results.ToList();
        if (narrowed) results.RemoveAll(r => !TestApplicationFilters.Keeps(filter, r.Name));
        var messages = transcript.RunMessages.ToList();
        var timedOut = run.TimedOut;
        var crashed = run.Crashed;
        int? code = 0;
        var output = new StringBuilder();
        foreach (var (assembly, _) in applications)
        {
            var name = Path.GetFileNameWithoutExtension(assembly);
            var ended = transcript.Applications.FirstOrDefault(a => a.Assembly == assembly);
            output.Append(CultureInfo.InvariantCulture, $"--- {name} ---\n").Append(ended.Output);
            if (ended.Assembly is null) continue; // stopped (timeout, flood) or the host died: said below
            // Its end event comes after its last result: what it reported is whole.
            var end = ApplicationEnd.Read(name, ended.ExitCode, resultsComplete: true, ended.FailedTests, filter, timedOut: false);
            messages.AddRange(end.Messages);
            if (end.Crashed || end.Stopped)
            {
                crashed |= end.Crashed;
                timedOut |= end.Stopped;
                code = ended.ExitCode;
            }
        }
        output.Append(run.Output);
        if (timedOut) messages.Add(NotFinished(filter, results, transcript.Running));
        if (crashed && run.Crashed) messages.Add("the test host stopped before the applications ended");
        return new TestRunOutcome(results, timedOut, crashed && !timedOut && transcript.FloodCharacters is null, crashed ? code ?? run.ExitCode : code, messages, output.ToString(), run.Elapsed, TestRunners.TestApplication)
        {
            OutputFloodCharacters = transcript.FloodCharacters,
            Survivors = run.Survivors,
            Sandboxed = run.Sandboxed,
        };
    }

    /// <summary>The application's own arguments for a round, the run request's filter (TUnit), and whether results must be narrowed to the filter.</summary>
    private static (List<string> Arguments, string? RequestFilter, bool Narrow) ArgumentsFor(TestApplicationKind kind, string resultsDirectory, string? filter)
    {
        var arguments = new List<string> { "--results-directory", resultsDirectory };
        var requestFilter = kind.Framework == TestFramework.TUnit ? TestApplicationFilters.TUnitTreeFilter(filter) : null;
        var selected = kind.Framework == TestFramework.TUnit
            ? (requestFilter is null && !string.IsNullOrWhiteSpace(filter) ? null : [])
            : TestApplicationFilters.Arguments(kind.Framework, xunitNativeRunner: false, filter);
        arguments.AddRange(selected ?? []);
        return (arguments, requestFilter, selected is null || kind.Framework is TestFramework.XunitV3 or TestFramework.TUnit);
    }

    /// <summary>
    /// What a stopped run had not finished. The platform sends no "in progress" state to say which test hangs, so this
    /// names the tests the filter selected by name that reported nothing.
    /// </summary>
    internal static string NotFinished(string? filter, IReadOnlyList<TestCaseResult> results, IReadOnlyList<string> running)
    {
        if (running.Count > 0) return "still running when stopped: " + string.Join(", ", running);
        var reported = results.Select(r => r.Name).ToList();
        var missing = TestApplicationFilters.Names(filter)
            .Where(n => !reported.Any(r => r == n || r.StartsWith(n + "(", StringComparison.Ordinal) || r.StartsWith(n + ".", StringComparison.Ordinal)))
            .ToList();
        return missing.Count > 0
            ? "stopped before these tests finished (one of them hangs or is slow): " + string.Join(", ", missing)
            : $"stopped after {results.Count} test(s) had finished; the platform does not say which test was running";
    }
}
