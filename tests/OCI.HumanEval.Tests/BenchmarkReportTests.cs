using OCI.HumanEval;
using Xunit;

namespace OCI.HumanEval.Tests;

public sealed class BenchmarkReportTests
{
    private static RoundRecord Round(int round, string status, double modelMs = 100, long tokens = 10) =>
        new(round, status, status, modelMs, 20, 12, 8, tokens * 10, tokens, round == 0 ? null : "feedback", "reply");

    [Fact]
    public void The_table_shows_pass_at_1_and_compile_failures_per_round_and_median_costs()
    {
        var settings = new BenchmarkSettings("HumanEval-C#", "model.gguf", 2, FeedbackMode.Tests, 42, 512);
        ProblemRecord[] problems =
        [
            new("a", 0, [Round(0, "Passed")], null, 150),
            new("b", 1, [Round(0, "CompileErrors"), Round(1, "Passed")], null, 300),
            new("c", null, [Round(0, "TestsFailed"), Round(1, "TestsFailed"), Round(2, "TimedOut")], null, 500),
            new("d", null, [Round(0, RoundRecord.NoCode)], null, 90),
        ];

        var markdown = BenchmarkReport.From(settings, problems).ToMarkdown();

        Assert.Equal(
            "## HumanEval-C#: model.gguf\n\n" +
            "4 problems, feedback `tests`, up to 2 feedback rounds, seed 42, max 512 tokens per reply.\n\n" +
            "| after round | pass@1 | passed | does not compile |\n|---|---|---|---|\n" +
            "| 0 (single-turn) | 25.0% | 1/4 | 50.0% |\n" +
            "| 1 | 50.0% | 2/4 | 25.0% |\n" +
            "| 2 | 50.0% | 2/4 | 25.0% |\n" +
            "\nMedian per problem: 225 ms (model 150 ms, verification 30 ms), 150 input + 15 output tokens.\n",
            markdown);
    }

    [Fact]
    public async Task The_json_report_holds_the_rounds_and_every_problem()
    {
        var settings = new BenchmarkSettings("MBPP-C#", "m", 1, FeedbackMode.Compile, 1, 64);
        var report = BenchmarkReport.From(settings, [new ProblemRecord("a", null, [], "ModelException: boom", 5)]);
        var path = Path.Combine(Path.GetTempPath(), $"oci-bench-report-{Guid.NewGuid():N}.json");
        try
        {
            await report.WriteJsonAsync(path, CancellationToken.None);
            var json = await File.ReadAllTextAsync(path);
            Assert.Contains("\"feedback\": \"compile\"", json, StringComparison.Ordinal);
            Assert.Contains("\"passAt1\": 0", json, StringComparison.Ordinal);
            Assert.Contains("\"modelErrors\": 1", json, StringComparison.Ordinal);
            Assert.Contains("\"error\": \"ModelException: boom\"", json, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
