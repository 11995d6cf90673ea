using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OCI.HumanEval;

/// <summary>What makes two runs comparable; a results file made with other settings is never resumed.</summary>
/// <param name="Candidates">Candidates per round from one prompt (the first greedy, the others seeded samples); all are verified.</param>
public sealed record BenchmarkSettings(string Benchmark, string Model, int Rounds, FeedbackMode Feedback, int Seed, int MaxTokens, int Candidates = 1);

/// <summary>One model round of one problem, as stored in the results file.</summary>
/// <param name="Status">A <c>VerificationStatus</c> name, or <c>NoCode</c> when the reply held no code.</param>
/// <param name="Feedback">The feedback turn this round answered (null for round 0).</param>
public sealed record RoundRecord(
    int Round,
    string Status,
    string Summary,
    double ModelMs,
    double VerifyMs,
    double CompileMs,
    double RunMs,
    long InputTokens,
    long OutputTokens,
    string? Feedback,
    string Reply)
{
    public const string NoCode = "NoCode";

    /// <summary>Each candidate's status by index when the round had several (null with one).</summary>
    public IReadOnlyList<string>? CandidateStatuses { get; init; }

    /// <summary>The first (greedy) candidate passed: what one candidate per round would have scored in this round.</summary>
    public bool FirstCandidatePassed => CandidateStatuses is { Count: > 0 } statuses ? statuses[0] == "Passed" : Status == "Passed";

    public bool Compiles => Status is not (NoCode or "CompileErrors" or "BuildSystemError");
}

/// <summary>One finished problem: one JSON line of the results file.</summary>
/// <param name="PassedInRound">The round whose candidate passed; null when none did.</param>
/// <param name="Error">Why the problem could not be run (a model error); such problems are retried on resume.</param>
public sealed record ProblemRecord(string Name, int? PassedInRound, IReadOnlyList<RoundRecord> Rounds, string? Error, double WallMs)
{
    public bool PassedBy(int round) => PassedInRound is { } passed && passed <= round;

    /// <summary>The first candidate of some round up to <paramref name="round"/> passed.</summary>
    public bool FirstCandidatePassedBy(int round) => Rounds.Any(r => r.Round <= round && r.FirstCandidatePassed);

    /// <summary>The state after <paramref name="round"/>: the last round run up to then (the loop stops at a pass or at no code).</summary>
    public RoundRecord? StateAfter(int round) => Rounds.LastOrDefault(r => r.Round <= round);

    public double ModelMs => Rounds.Sum(r => r.ModelMs);

    public double VerifyMs => Rounds.Sum(r => r.VerifyMs);

    public long InputTokens => Rounds.Sum(r => r.InputTokens);

    public long OutputTokens => Rounds.Sum(r => r.OutputTokens);
}

/// <summary>One line of the results file: the header (first line) or a problem.</summary>
public sealed record ResultsLine(BenchmarkSettings? Header = null, ProblemRecord? Problem = null);

internal static class BenchmarkJson
{
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = indented,
        // Replies and code stay readable in the files (" not \u0022); they are never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
