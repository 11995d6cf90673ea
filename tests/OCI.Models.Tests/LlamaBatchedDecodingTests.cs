using Microsoft.Extensions.AI;
using OCI.Models.Candidates;
using OCI.Models.Llama;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>
/// One context for every request (LLamaSharp's BatchedExecutor) on a real GGUF: candidates forked from one prompt,
/// cancellation of one sequence, and foreground requests served while a background one decodes.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class LlamaBatchedDecodingTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private const string SystemPrompt = "You tell short stories.";
    private const string TaskText = "Once upon a time, there was a little girl named Lily.";

    private static List<ChatMessage> Prompt(string user = TaskText) => [new(ChatRole.System, SystemPrompt), new(ChatRole.User, user)];

    private static ChatOptions Options(int maxTokens, string? conversationId = null, ModelPriority priority = ModelPriority.Foreground) =>
        new ChatOptions { Temperature = 0, MaxOutputTokens = maxTokens, ConversationId = conversationId, Seed = 7 }.WithPriority(priority);

    private static async Task<List<CandidateReply>> AllCandidatesAsync(IChatClient client, List<ChatMessage> messages, int count, ChatOptions options)
    {
        var replies = new List<CandidateReply>();
        await foreach (var reply in client.GetCandidatesAsync(messages, count, options, CancellationToken.None)) replies.Add(reply);
        return replies;
    }

    [Fact]
    public async Task Candidates_AreForkedFromOnePromptEvaluatedOnce()
    {
        using var client = new LlamaSharpChatClient(fixture.Model, fixture.Logs);
        var greedy = await client.GetResponseAsync(Prompt(), Options(16));

        var replies = await AllCandidatesAsync(client, Prompt(), 4, Options(16, "forked"));
        var stats = client.LastRequestStats!;

        Assert.Equal([0, 1, 2, 3], replies.Select(r => r.Index).Order());
        Assert.Equal(4, stats.Candidates);
        // The prompt went through the model once for all four candidates.
        Assert.Equal(stats.PromptTokens, stats.EvaluatedPromptTokens);
        Assert.All(replies, r => Assert.Equal(stats.PromptTokens, r.EvaluatedPromptTokens));
        Assert.Equal(stats.GeneratedTokens, replies.Sum(r => r.OutputTokens));
        // Candidate 0 is the greedy reply; the others are sampled, and differ from it.
        Assert.Equal(greedy.Text, replies.Single(r => r.Index == 0).Text);
        Assert.Contains(replies, r => r.Index > 0 && r.Text != greedy.Text);
        // The forks share the prompt's KV cells: the cache holds the prompt once plus each candidate's own tokens.
        Assert.True(client.KvUsage.CellsInUse <= stats.PromptTokens + stats.GeneratedTokens, client.KvUsage.ToString());
        Assert.Equal(4, client.KvUsage.Sequences);

        // The same request gives the same candidates (seeded sampling).
        var again = await AllCandidatesAsync(client, Prompt(), 4, Options(16));
        Assert.Equal(replies.OrderBy(r => r.Index).Select(r => r.Text), again.OrderBy(r => r.Index).Select(r => r.Text));
    }

    [Fact]
    public async Task NextTurn_ContinuesFromTheChosenCandidatesSequence()
    {
        using var client = new LlamaSharpChatClient(fixture.Model, fixture.Logs);
        var options = Options(16, "chosen");
        var replies = await AllCandidatesAsync(client, Prompt(), 3, options);
        var promptTokens = client.LastRequestStats!.PromptTokens;
        var chosen = replies.Where(r => r.Index > 0).MaxBy(r => r.OutputTokens)!;

        List<ChatMessage> next = [.. Prompt(), new(ChatRole.Assistant, chosen.Text), new(ChatRole.User, "Execution result: it failed.")];
        await client.GetResponseAsync(next, options);
        var stats = client.LastRequestStats!;
        // The prompt and (most of) the chosen candidate's reply were already in its sequence's KV cells.
        Assert.True(stats.ReusedPrefixTokens > promptTokens, $"reused {stats.ReusedPrefixTokens}, prompt was {promptTokens}");
        Assert.Equal(stats.PromptTokens - stats.ReusedPrefixTokens, stats.EvaluatedPromptTokens);
        Assert.Equal(1, client.KvUsage.Sequences); // the other candidates' sequences were freed
    }

    [Fact]
    public async Task CancellingOneRequest_LeavesTheOthersDecoding()
    {
        using var client = new LlamaSharpChatClient(fixture.Model, fixture.Logs);
        var alone = await client.GetResponseAsync(Prompt(), Options(24));

        using var cancellation = new CancellationTokenSource();
        var cancelled = Task.Run(async () =>
        {
            var pieces = 0;
            await foreach (var update in client.GetStreamingResponseAsync(Prompt(), Options(300, "cancelled"), cancellation.Token))
            {
                if (!string.IsNullOrEmpty(update.Text) && ++pieces == 3) await cancellation.CancelAsync();
            }
        });
        var other = client.GetResponseAsync(Prompt(), Options(24, "other"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(alone.Text, (await other).Text);

        // The cancelled conversation's sequence still matches its tokens: its next turn reuses the prompt.
        await client.GetResponseAsync(Prompt(), Options(8, "cancelled"));
        Assert.Equal(client.LastRequestStats!.PromptTokens - 1, client.LastRequestStats.ReusedPrefixTokens);
    }

    [Fact]
    public async Task Foreground_IsServedWhileABackgroundRequestDecodes()
    {
        using var client = new LlamaSharpChatClient(fixture.Model, fixture.Logs);
        var steps = new List<LlamaStep>();
        using var backgroundStarted = new ManualResetEventSlim();
        using var foregroundSubmitted = new ManualResetEventSlim();
        client.StepDecoded += step =>
        {
            lock (steps) steps.Add(step);
            if (step.BackgroundTokens > 0 && !backgroundStarted.IsSet)
            {
                backgroundStarted.Set();
                foregroundSubmitted.Wait(TimeSpan.FromMinutes(1)); // hold the loop until the foreground request is queued
            }
        };
        // A long background prompt: it is fed in small chunks, several steps.
        var longTask = string.Join(' ', Enumerable.Repeat("The little dog ran to the park and played with a red ball.", 14));
        var background = client.GetResponseAsync(Prompt(longTask), Options(40, "fix-it", ModelPriority.Background));
        await Task.Run(() => backgroundStarted.Wait(TimeSpan.FromMinutes(1)));
        Assert.True(backgroundStarted.IsSet);
        int stepsBefore;
        lock (steps) stepsBefore = steps.Count;

        await using var foreground = client.GetStreamingResponseAsync(Prompt(), Options(8, "command")).GetAsyncEnumerator();
        var first = foreground.MoveNextAsync(); // submits the request before its first await
        foregroundSubmitted.Set();
        Assert.True(await first);
        var foregroundPrompt = fixture.Model.Tokenize(fixture.Model.Template.Render(Prompt())).Count;
        List<LlamaStep> after;
        lock (steps) after = steps.Skip(stepsBefore).ToList();
        // The very next step carried the whole foreground prompt: its first token waited for no background step.
        Assert.Equal(foregroundPrompt, after[0].ForegroundTokens);
        while (await foreground.MoveNextAsync()) { }
        Assert.False(string.IsNullOrWhiteSpace((await background).Text));
        lock (steps) Assert.Contains(steps, s => s.ForegroundTokens > 0 && s.BackgroundTokens > 0); // decoded together
    }
}
