using LLama.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Models.Llama;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>The in-process backend on a real GGUF (stories260K: llama architecture, no chat template).</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class LlamaSharpChatClientTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private const string SystemPrompt = "You tell short stories.";
    private const string TaskText = "Once upon a time, there was a little girl named Lily.";

    private LlamaSharpChatClient NewClient(int maxConversations = 4) => new(fixture.Model, fixture.Logs, maxConversations);

    private static List<ChatMessage> Prompt(string user = TaskText) => [new(ChatRole.System, SystemPrompt), new(ChatRole.User, user)];

    private static ChatOptions Greedy(int maxTokens = 24, string? conversationId = null) =>
        new() { Temperature = 0, MaxOutputTokens = maxTokens, ConversationId = conversationId };

    [Fact]
    public void Load_ReportsMetadataAndNativeLibrary()
    {
        var model = fixture.Model;
        Assert.Equal("llama", model.Architecture);
        Assert.Equal(512, model.VocabularySize);
        Assert.Equal("llama", model.Metadata["general.architecture"]);
        Assert.Null(model.Header.ChatTemplate);
        Assert.Equal("chatml", model.Template.Name); // no tokenizer.chat_template: the configured fallback
        Assert.Equal(512u, model.ContextSize);
        Assert.True(model.Memory.Fits);
        Assert.StartsWith($"{NativeLibrarySetup.BuildBackend} build; ", NativeLibrarySetup.LoadedLibraryDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.")]
    [InlineData("The cat sat on the mat. It was happy!")]
    public void Tokenize_RoundTrips(string text)
    {
        var tokens = fixture.Model.Tokenize(text, addBos: false, special: false);
        Assert.NotEmpty(tokens);
        // SentencePiece may hand back the leading space it adds; nothing else may change.
        Assert.Equal(text, fixture.Model.Detokenize(tokens).TrimStart(' '));
        var withBos = fixture.Model.Tokenize(text, addBos: true);
        Assert.Equal(fixture.Model.Weights.Vocab.BOS, withBos[0]);
    }

    [Fact]
    public async Task Greedy_SameInputGivesSameText()
    {
        using var client = NewClient();
        var first = await client.GetResponseAsync(Prompt(), Greedy());
        var second = await client.GetResponseAsync(Prompt(), Greedy());
        Assert.False(string.IsNullOrWhiteSpace(first.Text));
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task Sampling_SameSeedGivesSameText()
    {
        using var client = NewClient();
        var options = new ChatOptions { Temperature = 0.9f, TopP = 0.95f, Seed = 1234, MaxOutputTokens = 24 };
        var first = await client.GetResponseAsync(Prompt(), options);
        var second = await client.GetResponseAsync(Prompt(), options);
        Assert.False(string.IsNullOrWhiteSpace(first.Text));
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task Streaming_DeliversPiecesThenUsage()
    {
        using var client = NewClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt(), Greedy(maxTokens: 20))) updates.Add(update);
        var textUpdates = updates.Where(u => !string.IsNullOrEmpty(u.Text)).ToList();
        Assert.True(textUpdates.Count > 3, $"only {textUpdates.Count} text updates");
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(20, usage.Details.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        var whole = await client.GetResponseAsync(Prompt(), Greedy(maxTokens: 20));
        Assert.Equal(whole.Text, string.Concat(textUpdates.Select(u => u.Text)));
    }

    [Fact]
    public async Task StopSequence_EndsTheReplyBeforeIt()
    {
        using var client = NewClient();
        var full = (await client.GetResponseAsync(Prompt(), Greedy(maxTokens: 40))).Text;
        var words = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length > 4, full);
        var stop = words[3];
        var options = Greedy(maxTokens: 40);
        options.StopSequences = [stop];
        var cut = await client.GetResponseAsync(Prompt(), options);
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
    }

    [Fact]
    public async Task Cancellation_StopsMidGenerationAndKeepsTheConversationUsable()
    {
        using var client = NewClient();
        using var cancellation = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Prompt(), Greedy(maxTokens: 300, conversationId: "cancelled"), cancellation.Token))
            {
                if (!string.IsNullOrEmpty(update.Text) && ++pieces == 3) await cancellation.CancelAsync();
            }
        });
        var stats = client.LastRequestStats!;
        Assert.InRange(stats.GeneratedTokens, 3, 10);
        // The KV cache still matches what the conversation holds: the next turn reuses the prompt.
        var again = await client.GetResponseAsync(Prompt(), Greedy(conversationId: "cancelled"));
        Assert.False(string.IsNullOrWhiteSpace(again.Text));
        Assert.Equal(client.LastRequestStats!.PromptTokens - 1, client.LastRequestStats.ReusedPrefixTokens);
    }

    [Fact]
    public async Task KvReuse_TurnTwoEvaluatesOnlyTheNewTokens()
    {
        using var client = NewClient();
        var conversation = new ChatConversation(client, SystemPrompt, Greedy(maxTokens: 16));
        await conversation.SendAsync(TaskText, null, CancellationToken.None);
        var turn1 = client.LastRequestStats!;
        Assert.Equal(0, turn1.ReusedPrefixTokens);
        Assert.Equal(turn1.PromptTokens, turn1.EvaluatedPromptTokens);

        const string feedback = "The story did not compile: error CS0103.";
        var turn2Reply = await conversation.SendAsync(feedback, null, CancellationToken.None);
        var turn2 = client.LastRequestStats!;
        var historyTokens = fixture.Model.Tokenize(fixture.Model.Template.Render(conversation.Messages.Take(4).ToList())).Count;
        var feedbackTokens = fixture.Model.Tokenize(feedback, addBos: false).Count;

        Assert.Equal(historyTokens, turn2.PromptTokens);
        Assert.Equal(turn2.PromptTokens - turn2.ReusedPrefixTokens, turn2.EvaluatedPromptTokens);
        // The whole turn-1 prompt came from the cache; only the reply's tail, the feedback and the headers were evaluated.
        Assert.True(turn2.ReusedPrefixTokens >= turn1.PromptTokens, $"reused {turn2.ReusedPrefixTokens} < turn-1 prompt {turn1.PromptTokens}");
        Assert.True(turn2.EvaluatedPromptTokens >= feedbackTokens);
        Assert.True(turn2.EvaluatedPromptTokens <= turn2.PromptTokens - turn1.PromptTokens,
            $"evaluated {turn2.EvaluatedPromptTokens} of {turn2.PromptTokens}; turn 1 had {turn1.PromptTokens}");
        Assert.Equal(turn2.PromptTokens, turn2Reply.InputTokens);
        Assert.Equal(turn2.ReusedPrefixTokens, turn2Reply.ReusedPromptTokens);
        Assert.Equal(turn2.EvaluatedPromptTokens, turn2Reply.EvaluatedPromptTokens);

        // Without the conversation id the same history is evaluated from scratch.
        await client.GetResponseAsync(conversation.Messages.Take(4).ToList(), Greedy(maxTokens: 16));
        Assert.Equal(0, client.LastRequestStats!.ReusedPrefixTokens);
        Assert.Equal(turn2.PromptTokens, client.LastRequestStats.EvaluatedPromptTokens);
    }

    [Fact]
    public async Task KvReuse_CountsTravelInUsage()
    {
        using var client = NewClient();
        var options = Greedy(maxTokens: 8, conversationId: "usage");
        await client.GetResponseAsync(Prompt(), options);
        var response = await client.GetResponseAsync(Prompt(), options);
        var counts = response.Usage!.AdditionalCounts!;
        Assert.Equal(response.Usage.InputTokenCount - 1, counts[UsageCountKeys.ReusedPrefixTokens]);
        Assert.Equal(1, counts[UsageCountKeys.EvaluatedPromptTokens]);
    }

    [Fact]
    public async Task ContextFull_DropsOldestFeedbackRoundsButKeepsTheTask()
    {
        var logs = new ListLoggerFactory();
        using var model = LlamaModel.Load(TinyModels.Settings(TinyModels.Stories, contextSize: 192), logs); // a sequence gets exactly this much (the task alone is ~140 tokens)
        using var client = new LlamaSharpChatClient(model, logs);
        var messages = Prompt();
        for (var round = 0; round < 12; round++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Reply number {round}: the little dog ran to the park."));
            messages.Add(new ChatMessage(ChatRole.User, $"Feedback {round}: the build failed with an error."));
        }
        var response = await client.GetResponseAsync(messages, Greedy(maxTokens: 8, conversationId: "full"));
        var stats = client.LastRequestStats!;
        Assert.True(stats.DroppedRounds > 0, stats.ToString());
        Assert.True(stats.PromptTokens + 8 <= stats.ContextSize, stats.ToString());
        Assert.True(logs.Contains(LogLevel.Warning, "dropped the"), string.Join("\n", logs.Lines));
        Assert.InRange(stats.GeneratedTokens, 1, 8); // it still answered, within the token limit
    }

    [Fact]
    public async Task ContextTooSmallForTheTask_IsAClearError()
    {
        using var model = LlamaModel.Load(TinyModels.Settings(TinyModels.Stories, contextSize: 64), new ListLoggerFactory());
        using var client = new LlamaSharpChatClient(model, new ListLoggerFactory());
        var task = string.Join(' ', Enumerable.Repeat("The little girl walked to the big park with her mother.", 40));
        var error = await Assert.ThrowsAsync<ModelException>(() => client.GetResponseAsync(Prompt(task), Greedy()));
        Assert.Contains("does not fit the model's context", error.Message, StringComparison.Ordinal);
        Assert.Contains("oci.model.contextSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_AreEvictedLeastRecentlyUsedFirst()
    {
        using var client = NewClient(maxConversations: 2);
        foreach (var id in new[] { "a", "b", "a", "c" }) await client.GetResponseAsync(Prompt(), Greedy(maxTokens: 2, conversationId: id));
        Assert.Equal(["c", "a"], client.ConversationIds);
    }

    [Fact]
    public async Task ConcurrentRequests_AreQueuedAndAllAnswered()
    {
        using var client = NewClient();
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            client.GetResponseAsync(Prompt(), Greedy(maxTokens: 12, conversationId: $"q{i % 2}"))));
        Assert.All(replies, r => Assert.Equal(replies[0].Text, r.Text));
    }
}
