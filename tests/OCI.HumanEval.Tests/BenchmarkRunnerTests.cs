using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.HumanEval;
using OCI.Models;
using OCI.Testing;
using Xunit;

namespace OCI.HumanEval.Tests;

/// <summary>The whole benchmark through the refine loop, with a scripted model and the real verifier.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(BenchmarkCollection.Name)]
public sealed class BenchmarkRunnerTests(BenchmarkFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("oci-bench-runner-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Asked(string entryPoint) => $"Complete the method `{entryPoint}` of";

    private IReadOnlyList<HumanEvalProblem> Problems(params string[] entryPoints) => [.. entryPoints.Select(fixture.Problem)];

    private static BenchmarkSettings Settings(FeedbackMode feedback, int rounds = 1) =>
        new("HumanEval-C#", "scripted", rounds, feedback, Seed: 7, MaxTokens: 512);

    private Task<BenchmarkReport> RunAsync(IReadOnlyList<HumanEvalProblem> problems, IChatClient client, BenchmarkSettings settings, string results = "results.jsonl", int parallel = 2) =>
        new BenchmarkRunner(NullLoggerFactory.Instance).RunAsync(
            problems, client, fixture.Verifier, new BenchmarkRunOptions(settings, Path.Combine(_directory.FullName, results), parallel), null, CancellationToken.None);

    private static IEnumerable<string> FeedbackTurns(ScriptedChatClient client) =>
        client.Requests.Where(r => r.Count > 2).Select(r => r.Last(m => m.Role == ChatRole.User).Text);

    [Fact]
    public async Task Tests_feedback_quotes_the_failing_assertion_and_the_fix_passes_in_round_one()
    {
        var client = new ScriptedChatClient(
            new ScriptedReply(Solutions.HasCloseElementsCorrect, When: "(0.05f)) == (false)"),
            new ScriptedReply(Solutions.TruncateNumberCorrectRaw, When: "CS0266"),
            new ScriptedReply(Solutions.HasCloseElementsWrong, When: Asked("HasCloseElements")),
            new ScriptedReply(Solutions.TruncateNumberDoesNotCompile, When: Asked("TruncateNumber")),
            new ScriptedReply(Solutions.GcdCorrectAsClass, When: Asked("GreatestCommonDivisor")),
            new ScriptedReply(Solutions.StrlenLoopsForever, When: Asked("Strlen")),
            new ScriptedReply(Solutions.SumProductCorrect, When: Asked("SumProduct")));
        var problems = Problems("HasCloseElements", "TruncateNumber", "GreatestCommonDivisor", "Strlen", "SumProduct");

        var report = await RunAsync(problems, client, Settings(FeedbackMode.Tests));

        Assert.Equal([0, 1], report.Rounds.Select(r => r.Round));
        Assert.Equal(2, report.Rounds[0].Passed);          // single-turn: GCD and SumProduct
        Assert.Equal(4, report.Rounds[1].Passed);          // after feedback: HasCloseElements and TruncateNumber too
        Assert.Equal(0.8, report.Rounds[1].PassAt1, 6);
        Assert.Equal(1, report.Rounds[0].NotCompiling);    // TruncateNumber's double → float
        Assert.Equal(1, report.Rounds[1].NotCompiling);    // Strlen's second reply holds no code
        var byName = report.Problems.ToDictionary(p => p.Name);
        Assert.Equal(1, byName["HumanEval_0_has_close_elements"].PassedInRound);
        Assert.Equal("TimedOut", byName["HumanEval_23_strlen"].Rounds[0].Status);
        Assert.Equal(RoundRecord.NoCode, byName["HumanEval_23_strlen"].Rounds[1].Status);

        var feedback = FeedbackTurns(client).ToList();
        Assert.Contains(
            "Execution result: this test failed:\n" +
            "    Debug.Assert(HasCloseElements((new List<float>(new float[]{(float)1.0f, (float)2.0f, (float)3.9f, (float)4.0f, (float)5.0f, (float)2.2f})), (0.05f)) == (false));\n" +
            "(1 of 7 tests passed before it.)\n" +
            "Reply with the corrected complete method `public static bool HasCloseElements(List<float> numbers, float threshold)` in one ```csharp code block.",
            feedback);
        Assert.Contains(feedback, f => f.Contains("did not finish in time", StringComparison.Ordinal));
        Assert.Equal(problems.Select(p => p.Name), report.Problems.Select(p => p.Name)); // dataset order, whatever finished first
    }

    [Fact]
    public async Task Compile_feedback_sends_compiler_errors_but_never_the_tests()
    {
        var client = new ScriptedChatClient(
            new ScriptedReply(Solutions.TruncateNumberCorrectRaw, When: "CS0266"),
            new ScriptedReply(Solutions.HasCloseElementsWrong, When: Asked("HasCloseElements")),
            new ScriptedReply(Solutions.TruncateNumberDoesNotCompile, When: Asked("TruncateNumber")));

        var report = await RunAsync(Problems("HasCloseElements", "TruncateNumber"), client, Settings(FeedbackMode.Compile));

        var feedback = FeedbackTurns(client).ToList();
        Assert.Equal(2, feedback.Count);
        var compileError = Assert.Single(feedback, f => f.Contains("CS0266", StringComparison.Ordinal));
        Assert.Contains("`return number - Math.Floor(number);`", compileError, StringComparison.Ordinal);
        Assert.All(feedback, f => Assert.DoesNotContain("Debug.Assert", f, StringComparison.Ordinal));
        Assert.All(feedback, f => Assert.DoesNotContain("Execution result", f, StringComparison.Ordinal));
        Assert.Equal(0, report.Rounds[0].Passed);
        Assert.Equal(1, report.Rounds[1].Passed);
    }

    [Fact]
    public async Task A_rerun_skips_finished_problems_and_prints_the_same_table()
    {
        var settings = Settings(FeedbackMode.Tests, rounds: 2);
        var first = new ScriptedChatClient(
            new ScriptedReply(Solutions.GcdCorrectAsClass, When: Asked("GreatestCommonDivisor")),
            new ScriptedReply(Solutions.HasCloseElementsWrong, When: Asked("HasCloseElements")));
        var report = await RunAsync(Problems("GreatestCommonDivisor", "HasCloseElements"), first, settings);

        var second = new ScriptedChatClient(new ScriptedReply(Solutions.StrlenCorrectExpression, When: Asked("Strlen")));
        var again = await RunAsync(Problems("GreatestCommonDivisor", "HasCloseElements"), second, settings);
        Assert.Empty(second.Requests);
        Assert.Equal(report.ToMarkdown(), again.ToMarkdown());

        var extended = await RunAsync(Problems("GreatestCommonDivisor", "HasCloseElements", "Strlen"), second, settings);
        Assert.Single(second.Requests); // only the new problem asked the model
        Assert.Equal(2, extended.Rounds[0].Passed);

        var other = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(Problems("Strlen"), second, settings with { Seed = 8 }));
        Assert.Contains("other settings", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_error_fails_its_problem_and_the_run_goes_on()
    {
        var report = await RunAsync(Problems("Strlen", "GreatestCommonDivisor"), new FailingChatClient(), Settings(FeedbackMode.Tests), parallel: 1);
        Assert.Equal(2, report.ModelErrors);
        Assert.Contains("context is too small", report.FirstModelError, StringComparison.Ordinal);
        Assert.Equal(0, report.Rounds[0].Passed);
        Assert.Equal(1.0, report.Rounds[0].NotCompilingShare);
        Assert.Contains("2 problems ended in a model error", report.ToMarkdown(), StringComparison.Ordinal);
    }

    private sealed class FailingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new ModelException("The prompt needs 900 tokens but the context is too small (512).");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new ModelException("The prompt needs 900 tokens but the context is too small (512).");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
