using System.Diagnostics;
using System.Globalization;
using System.Text;
using OCI.Workspace.Verification;

namespace OCI.HumanEval;

/// <summary>Compile and run times of one problem graded without a model.</summary>
public sealed record HarnessMeasurement(string Name, VerificationStatus Status, double CompileMs, double RunMs, double TotalMs);

/// <summary>The harness's cost without a model: every problem graded once, through the same task and verifier.</summary>
public sealed record HarnessOverheadReport(IReadOnlyList<HarnessMeasurement> Problems, double WallMs)
{
    public string ToMarkdown(string title)
    {
        static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("## Harness overhead: ").Append(title).Append('\n').Append('\n');
        text.Append($"{Problems.Count} problems graded with the body `{HarnessOverhead.DefaultBody}` (no model), {Ms(WallMs / 1000)} s in all.\n\n");
        text.Append("| per problem | median ms | mean ms | max ms |\n|---|---|---|---|\n");
        void Row(string name, Func<HarnessMeasurement, double> value)
        {
            var values = Problems.Select(value).ToList();
            text.Append($"| {name} | {Ms(BenchmarkStatistics.Median(values))} | {Ms(values.Count == 0 ? 0 : values.Average())} | {Ms(values.Count == 0 ? 0 : values.Max())} |\n");
        }
        Row("compile (Roslyn, in memory)", p => p.CompileMs);
        Row("run (dotnet exec child)", p => p.RunMs);
        Row("total (compile + sandbox + run)", p => p.TotalMs);
        text.Append('\n').Append("Outcomes: ")
            .Append(string.Join(", ", Problems.GroupBy(p => p.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")))
            .Append(" (expected: none passes, all compile).\n");
        return text.ToString();
    }
}

/// <summary>
/// Measures what the harness itself costs per problem: each problem's prompt completed with <c>return default;</c>
/// goes through extraction, composition, Roslyn and a sandboxed run. Every usable problem compiles and fails that
/// way, so the figures are the floor under any model's time per round.
/// </summary>
public static class HarnessOverhead
{
    public const string DefaultBody = "return default;";

    public static async Task<HarnessOverheadReport> MeasureAsync(
        IReadOnlyList<HumanEvalProblem> problems,
        HumanEvalVerifier verifier,
        int parallel,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(verifier);
        var results = new HarnessMeasurement[problems.Count];
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, problems.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var problem = problems[index];
                var watch = Stopwatch.StartNew();
                var candidate = new HumanEvalTask(problem, FeedbackMode.Tests).CandidateFromReply("```csharp\n" + DefaultBody + "\n```")
                    ?? throw new InvalidOperationException("The default body was not recognised as code.");
                var result = await verifier.VerifyAsync(candidate, null, token).ConfigureAwait(false);
                watch.Stop();
                results[index] = new HarnessMeasurement(problem.Name, result.Status, result.CompileTime.TotalMilliseconds,
                    result.TestTime.TotalMilliseconds, watch.Elapsed.TotalMilliseconds);
                progress?.Report($"{problem.Name}: {result.Status}, compile {result.CompileTime.TotalMilliseconds:0} ms, run {result.TestTime.TotalMilliseconds:0} ms");
            }).ConfigureAwait(false);
        wall.Stop();
        return new HarnessOverheadReport(results, wall.Elapsed.TotalMilliseconds);
    }
}
