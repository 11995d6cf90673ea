using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.HumanEval;
using OCI.Models;
using OCI.Models.Candidates;
using OCI.Models.OpenAI;
using OCI.Testing;
using Xunit;

namespace OCI.HumanEval.Tests;

/// <summary>
/// Several candidates per round, end to end: the benchmark runner, the OpenAI-compatible backend over HTTP (one request
/// per candidate), a scripted server whose candidates differ by their seed, and the real verifier.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(BenchmarkCollection.Name)]
public sealed class CandidatesBenchmarkTests(BenchmarkFixture fixture) : IDisposable
{
    private const int Seed = 7;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("oci-bench-candidates-");

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>Answers by candidate: greedy (candidate 1) and candidate 2 are wrong, candidate 3 (by its seed) is right.</summary>
    private sealed class ThirdCandidateIsRight : IChatClient
    {
        private readonly ChatOptions _base = new() { Seed = Seed };

        public List<long?> Seeds { get; } = [];

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            lock (Seeds) Seeds.Add(options?.Temperature is > 0 ? options.Seed : null);
            var third = options?.Temperature is > 0 && options.Seed == CandidateSampling.For(_base, 2).Seed;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, third ? Solutions.HasCloseElementsCorrect : Solutions.HasCloseElementsWrong);
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    [Fact]
    public async Task Best_of_four_passes_where_the_first_candidate_fails_and_the_report_says_both()
    {
        var model = new ThirdCandidateIsRight();
        await using var server = await ScriptedOpenAIServer.StartAsync(model);
        using var client = OpenAICompatibleChatClient.Create(
            new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = server.Endpoint, ModelName = "scripted", Seed = Seed }, NullLoggerFactory.Instance);
        var settings = new BenchmarkSettings("HumanEval-C#", "scripted", Rounds: 0, FeedbackMode.Tests, Seed, MaxTokens: 512, Candidates: 4);

        var report = await new BenchmarkRunner(NullLoggerFactory.Instance).RunAsync(
            [fixture.Problem("HasCloseElements")], client, fixture.Verifier,
            new BenchmarkRunOptions(settings, Path.Combine(_directory.FullName, "results.jsonl")), null, CancellationToken.None);

        Assert.Equal(4, server.ChatRequests); // one prompt, four candidates, each its own request
        var round = Assert.Single(report.Rounds);
        Assert.Equal(0, round.FirstCandidatePassed);
        Assert.Equal(1, round.Passed); // the verified best of four
        var record = Assert.Single(Assert.Single(report.Problems).Rounds);
        Assert.Equal(["TestsFailed", "TestsFailed", "Passed", "TestsFailed"], record.CandidateStatuses);
        Assert.Equal("Passed", record.Status);
        var table = report.ToMarkdown();
        Assert.Contains("| after round | pass@1 (first candidate) | verified best of 4 |", table);
        Assert.Contains("| 0 (single-turn) | 0.0% | 100.0% | 1/1 |", table);
        // The same seed gives the same candidates: the sampled ones carry seeds derived from it.
        Assert.Equal([CandidateSampling.For(new ChatOptions { Seed = Seed }, 1).Seed, CandidateSampling.For(new ChatOptions { Seed = Seed }, 2).Seed, CandidateSampling.For(new ChatOptions { Seed = Seed }, 3).Seed],
            model.Seeds.Where(s => s is not null).Order());
    }
}
