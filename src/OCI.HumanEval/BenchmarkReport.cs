using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OCI.HumanEval;

/// <summary>pass@1 and the share that does not compile after one round (round 0 is single-turn).</summary>
/// <remarks>With several candidates per round, <see cref="Passed"/> is the verified best-of-N rate and <see cref="FirstCandidatePassed"/> the first (greedy) candidate's pass@1.</remarks>
public sealed record RoundSummary(int Round, int Passed, double PassAt1, int NotCompiling, double NotCompilingShare)
{
    public int FirstCandidatePassed { get; init; }

    public double FirstCandidatePassAt1 { get; init; }
}

/// <summary>Medians over problems of what one problem cost (all its rounds together).</summary>
public sealed record CostSummary(double WallMs, double ModelMs, double VerifyMs, double InputTokens, double OutputTokens);

/// <summary>
/// The benchmark's result, computed only from the finished problems' records, so a resumed or repeated run over the
/// same results file prints the same table.
/// </summary>
public sealed record BenchmarkReport(
    BenchmarkSettings Settings,
    int ProblemCount,
    IReadOnlyList<RoundSummary> Rounds,
    CostSummary MedianPerProblem,
    int ModelErrors,
    string? FirstModelError,
    IReadOnlyList<ProblemRecord> Problems)
{
    public static BenchmarkReport From(BenchmarkSettings settings, IReadOnlyList<ProblemRecord> problems)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problems);
        var count = problems.Count;
        double Share(int n) => count == 0 ? 0 : (double)n / count;
        var rounds = Enumerable.Range(0, settings.Rounds + 1).Select(round =>
        {
            var passed = problems.Count(p => p.PassedBy(round));
            var notCompiling = problems.Count(p => p.StateAfter(round) is not { Compiles: true });
            var firstPassed = problems.Count(p => p.FirstCandidatePassedBy(round));
            return new RoundSummary(round, passed, Share(passed), notCompiling, Share(notCompiling))
            {
                FirstCandidatePassed = firstPassed,
                FirstCandidatePassAt1 = Share(firstPassed),
            };
        }).ToList();
        var costs = new CostSummary(
            BenchmarkStatistics.Median(problems.Select(p => p.WallMs)),
            BenchmarkStatistics.Median(problems.Select(p => p.ModelMs)),
            BenchmarkStatistics.Median(problems.Select(p => p.VerifyMs)),
            BenchmarkStatistics.Median(problems.Select(p => (double)p.InputTokens)),
            BenchmarkStatistics.Median(problems.Select(p => (double)p.OutputTokens)));
        var errors = problems.Where(p => p.Error is not null).ToList();
        return new BenchmarkReport(settings, count, rounds, costs, errors.Count, errors.FirstOrDefault()?.Error, problems);
    }

    public string ToMarkdown()
    {
        static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        static string Number(double value) => value.ToString("0", CultureInfo.InvariantCulture);
        var s = Settings;
        var text = new StringBuilder();
        text.Append($"## {s.Benchmark}: {s.Model}\n\n");
        text.Append($"{ProblemCount} problems, feedback `{s.Feedback.ToString().ToLowerInvariant()}`, up to {s.Rounds} feedback round{(s.Rounds == 1 ? "" : "s")}, seed {s.Seed}, max {s.MaxTokens} tokens per reply.\n\n");
        if (s.Candidates > 1)
        {
            text.Append($"{s.Candidates} candidates per round from one prompt (the first greedy, the others sampled with seeds from {s.Seed}); every candidate verified.\n\n");
            text.Append($"| after round | pass@1 (first candidate) | verified best of {s.Candidates} | passed | does not compile |\n|---|---|---|---|---|\n");
        }
        else
        {
            text.Append("| after round | pass@1 | passed | does not compile |\n|---|---|---|---|\n");
        }
        foreach (var round in Rounds)
        {
            var label = round.Round == 0 ? "0 (single-turn)" : round.Round.ToString(CultureInfo.InvariantCulture);
            var first = s.Candidates > 1 ? $" {Percent(round.FirstCandidatePassAt1)} |" : "";
            text.Append($"| {label} |{first} {Percent(round.PassAt1)} | {round.Passed}/{ProblemCount} | {Percent(round.NotCompilingShare)} |\n");
        }
        var c = MedianPerProblem;
        text.Append($"\nMedian per problem: {Number(c.WallMs)} ms (model {Number(c.ModelMs)} ms, verification {Number(c.VerifyMs)} ms), ");
        text.Append($"{Number(c.InputTokens)} input + {Number(c.OutputTokens)} output tokens.\n");
        if (ModelErrors > 0)
        {
            text.Append($"\n{ModelErrors} problem{(ModelErrors == 1 ? "" : "s")} ended in a model error (counted as failed; retried on resume): {FirstModelError}\n");
        }
        return text.ToString();
    }

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, BenchmarkJson.Indented, cancellationToken).ConfigureAwait(false);
    }
}
