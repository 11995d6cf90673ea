using System.Globalization;
using System.Text.Json;
using OCI.TestHost;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>
/// The events the warm test host printed for one request, turned into the same results the TRX parser gives: name,
/// outcome, message, stack trace mapped to the user's file and line, captured output (truncated). Tests that started
/// but never finished are what was running when a timeout stopped the host.
/// </summary>
public sealed class TestHostTranscript(Func<string, string?> mapWorkspacePath)
{
    private readonly List<TestCaseResult> _results = [];
    private readonly List<string> _messages = [];
    private readonly List<string> _running = [];

    public IReadOnlyList<TestCaseResult> Results => [.. _results.OrderBy(r => r.Name, StringComparer.Ordinal)];

    public IReadOnlyList<string> RunMessages => _messages;

    /// <summary>Tests that started and have not reported a result (in start order).</summary>
    public IReadOnlyList<string> Running => _running;

    /// <summary>Console output of the code under test during the request (from the <c>done</c> event).</summary>
    public string? Output { get; private set; }

    public bool Done { get; private set; }

    /// <summary>Whether the request's load context was unloaded; false means code of it may still run in the host.</summary>
    public bool Unloaded { get; private set; }

    /// <summary>
    /// The <c>done</c> event left the unloading to a later <c>unloaded</c> event (the request loaded test assemblies):
    /// the host may be reused only once that says so (<see cref="UnloadedEvent"/>).
    /// </summary>
    public bool UnloadFollows { get; private set; }

    /// <summary>Processes the round left running, as the host reported them ("pid command line").</summary>
    public IReadOnlyList<string> Survivors { get; private set; } = [];

    /// <summary>Characters the code under test had written when the host reported a flood; null when it did not.</summary>
    public long? FloodCharacters { get; private set; }

    /// <summary>Lines of stdout that were not events (code under test writing to the raw stdout stream).</summary>
    public List<string> StrayOutput { get; } = [];

    public static TestHostTranscript Parse(IEnumerable<string> lines, Func<string, string?>? mapWorkspacePath = null)
    {
        var transcript = new TestHostTranscript(mapWorkspacePath ?? (p => p));
        foreach (var line in lines) transcript.Add(line);
        return transcript;
    }

    /// <summary>The test applications of the request that ended (assembly, exit code, console output, its failed tests), in end order.</summary>
    public List<(string Assembly, int? ExitCode, string? Output, int FailedTests)> Applications { get; } = [];

    /// <summary>Characters of raw stdout (not events) after which the round counts as a flood, as the host's own limit.</summary>
    public const long StrayFloodLimit = 32L * 1024 * 1024;

    private long _strayCharacters;

    /// <summary>Adds one stdout line; true once the request is done, or stopped for flooding its output.</summary>
    public bool Add(string line)
    {
        if (!line.StartsWith(TestHostProtocol.EventPrefix, StringComparison.Ordinal))
        {
            if (StrayOutput.Count < 200) StrayOutput.Add(line);
            _strayCharacters += line.Length + 1;
            if (_strayCharacters > StrayFloodLimit) FloodCharacters ??= _strayCharacters;
            return Done || FloodCharacters is not null;
        }
        TestHostEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<TestHostEvent>(line.AsSpan(TestHostProtocol.EventPrefix.Length), TestHostProtocol.Json);
        }
        catch (JsonException)
        {
            StrayOutput.Add(line);
            return Done;
        }
        switch (e?.Event)
        {
            case "start" when e.Name is not null:
                _running.Add(e.Name);
                break;
            case "result" when e.Name is not null:
                _running.Remove(e.Name);
                _results.Add(ToResult(e));
                break;
            case "message" when e.Message is not null:
                _messages.Add(e.StackTrace is null ? e.Message : e.Message + "\n" + StackTraceLocations.MapPaths(e.StackTrace, mapWorkspacePath));
                break;
            case "done":
                Output = e.Output;
                Unloaded = e.Unloaded ?? false;
                UnloadFollows = e.Unloaded is null;
                Survivors = e.Survivors ?? [];
                Done = true;
                break;
            case "application" when e.Name is not null:
                Applications.Add((e.Name, e.ExitCode, e.Output, e.Failed ?? 0));
                break;
            case "flood":
                FloodCharacters = e.Characters ?? 0;
                break;
        }
        return Done || FloodCharacters is not null;
    }

    /// <summary>
    /// The host's <c>unloaded</c> event in <paramref name="line"/>, read after <c>done</c>: whether the round's code is
    /// all gone and the processes found then; null for any other line.
    /// </summary>
    public static (bool Unloaded, IReadOnlyList<string> Survivors)? UnloadedEvent(string line)
    {
        if (!line.StartsWith(TestHostProtocol.EventPrefix, StringComparison.Ordinal)) return null;
        try
        {
            var e = JsonSerializer.Deserialize<TestHostEvent>(line.AsSpan(TestHostProtocol.EventPrefix.Length), TestHostProtocol.Json);
            return e?.Event switch
            {
                "unloaded" => (e.Unloaded ?? false, e.Survivors ?? []),
                "flood" => (false, []), // code of the round still writing: it is not gone
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private TestCaseResult ToResult(TestHostEvent e)
    {
        var stackTrace = e.StackTrace;
        string? path = null;
        int? line = null;
        if (stackTrace is not null)
        {
            (path, line) = StackTraceLocations.FirstWorkspaceFrame(stackTrace, mapWorkspacePath);
            stackTrace = StackTraceLocations.MapPaths(stackTrace, mapWorkspacePath).TrimEnd();
        }
        var outcome = e.Outcome switch
        {
            "Passed" => TestOutcome.Passed,
            "Failed" => TestOutcome.Failed,
            "Skipped" => TestOutcome.Skipped,
            _ => TestOutcome.NotRun,
        };
        return new TestCaseResult(
            e.Name!, outcome, e.Message?.TrimEnd(), stackTrace, path, line,
            e.Output is { Length: > 0 } output ? Truncation.HeadAndTail(output, TrxParser.MaxOutputCharacters) : null,
            TimeSpan.FromSeconds(e.Seconds ?? 0));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_results.Count} result(s), {_running.Count} running, done: {Done}");
}
