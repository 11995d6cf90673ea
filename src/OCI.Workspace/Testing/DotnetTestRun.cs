using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>The outcome of one test run in the shadow copy, and which runner (<see cref="TestRunners"/>) ran it.</summary>
public sealed record TestRunOutcome(
    IReadOnlyList<TestCaseResult> Results,
    bool TimedOut,
    bool Crashed,
    int? ExitCode,
    IReadOnlyList<string> RunMessages,
    string Output,
    TimeSpan Elapsed,
    string Runner = TestRunners.DotnetTest)
{
    /// <summary>Characters the run had written when it was stopped for flooding its output; null when it was not.</summary>
    public long? OutputFloodCharacters { get; init; }

    /// <summary>Processes the round left running (command lines); they were killed after it.</summary>
    public IReadOnlyList<string> Survivors { get; init; } = [];

    /// <summary>Whether the code under test ran inside the OS sandbox.</summary>
    public bool Sandboxed { get; init; }
}

/// <summary>The names of the test runners, as progress and results report them.</summary>
public static class TestRunners
{
    public const string DotnetTest = "dotnet test";
    public const string WarmHost = "warm test host";
    public const string TestApplication = "test application";
}

/// <summary>
/// Runs built test assemblies with <c>dotnet test &lt;dll&gt;</c> (VSTest) and a TRX logger. Running the assembly
/// directly skips MSBuild evaluation of the test project (about 1 s against 5–7 s for <c>dotnet test project</c>; see the
/// benchmark). <c>--blame-hang-timeout</c> makes VSTest kill a hanging test host itself and still write its TRX (so we
/// learn which test hung); the process runner's timeout, a little longer, is the backstop that kills the whole tree.
/// </summary>
public static class DotnetTestRun
{
    public static async Task<TestRunOutcome> RunAsync(
        IReadOnlyList<string> testAssemblies,
        string workingDirectory,
        string resultsDirectory,
        string? filter,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        IsolationScope scope,
        CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "test" };
        arguments.AddRange(testAssemblies);
        arguments.AddRange(["--logger", "trx", "--results-directory", resultsDirectory]);
        var hangSeconds = Math.Max(1, (int)(timeout.TotalSeconds * 0.75));
        arguments.AddRange(["--blame-hang-timeout", $"{hangSeconds}s", "--blame-hang-dump-type", "none"]);
        if (!string.IsNullOrWhiteSpace(filter)) arguments.AddRange(["--filter", filter]);

        var result = await ProcessRunner.RunAsync(scope.Launch("dotnet", arguments, workingDirectory), scope.Sandbox, timeout, cancellationToken).ConfigureAwait(false);

        var results = new List<TestCaseResult>();
        var messages = new List<string>();
        var runOutput = new List<string>();
        if (Directory.Exists(resultsDirectory))
        {
            foreach (var trx in Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try
                {
                    var run = TrxParser.Parse(await File.ReadAllTextAsync(trx, cancellationToken).ConfigureAwait(false), mapPath);
                    results.AddRange(run.Results);
                    messages.AddRange(run.RunMessages);
                    if (run.RunOutput is not null) runOutput.Add(run.RunOutput);
                }
                catch (System.Xml.XmlException e)
                {
                    messages.Add($"unreadable test results {Path.GetFileName(trx)}: {e.Message}");
                }
            }
        }

        var output = WithoutBanner(result.StandardOutput) + result.StandardError;
        var hangReported = messages.Any(m => m.Contains("hang", StringComparison.OrdinalIgnoreCase))
            || output.Contains("hang timeout", StringComparison.OrdinalIgnoreCase);
        var crashed = !result.TimedOut && !hangReported
            && (messages.Any(m => m.Contains("crash", StringComparison.OrdinalIgnoreCase) || m.Contains("aborted", StringComparison.OrdinalIgnoreCase))
                || (result.ExitCode is not 0 && !results.Any(r => r.Outcome == TestOutcome.Failed)));
        return new TestRunOutcome(results, result.TimedOut || hangReported, crashed && !result.OutputLimitExceeded, result.ExitCode, messages, output, result.Elapsed)
        {
            OutputFloodCharacters = result.OutputLimitExceeded ? result.OutputCharacters : null,
            Survivors = result.Survivors,
            Sandboxed = result.Sandboxed,
        };
    }

    /// <summary>VSTest's own lines (banner, "please wait", the summary's decoration): noise for the model.</summary>
    internal static string WithoutBanner(string output)
    {
        var kept = output.Split('\n').Where(line =>
        {
            var t = line.Trim();
            return !(t.StartsWith("Test run for ", StringComparison.Ordinal)
                || t.StartsWith("VSTest version ", StringComparison.Ordinal)
                || t.StartsWith("Microsoft (R) Test Execution Command Line Tool", StringComparison.Ordinal)
                || t.StartsWith("Copyright (c) Microsoft Corporation", StringComparison.Ordinal)
                || t.StartsWith("Starting test execution, please wait", StringComparison.Ordinal)
                || t.StartsWith("A total of ", StringComparison.Ordinal) && t.Contains("test files matched", StringComparison.Ordinal)
                || t.StartsWith("Results File:", StringComparison.Ordinal));
        });
        return string.Join('\n', kept);
    }
}
