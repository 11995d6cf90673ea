using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Models.Llama;
using OCI.Models.Tests.Support;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>
/// The chat template from the model's own <c>tokenizer.chat_template</c>, on real tiny GGUFs rewritten to carry one
/// (rendered by llama.cpp's <c>llama_chat_apply_template</c>, which recognises built-in formats rather than running Jinja).
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class GgufChatTemplateTests(TemplatedModels models) : IClassFixture<TemplatedModels>
{
    private const string SystemPrompt = "You tell short stories.";
    private const string TaskText = "Once upon a time, there was a little girl named Lily.";
    private const string Feedback = "The story did not compile: error CS0103.";

    private static List<ChatMessage> Prompt() => [new(ChatRole.System, SystemPrompt), new(ChatRole.User, TaskText)];

    private static ChatOptions Greedy(int maxTokens = 16, string? conversationId = null) =>
        new() { Temperature = 0, MaxOutputTokens = maxTokens, ConversationId = conversationId };

    private static LlamaModel Load(string path, string fallback, ListLoggerFactory? logs = null) =>
        LlamaModel.Load(TinyModels.Settings(path) with { FallbackChatTemplate = fallback }, logs ?? new ListLoggerFactory());

    [Fact]
    public void Rewriter_AddsTheTemplateAndKeepsEverythingElse()
    {
        var original = GgufHeader.Read(TinyModels.Llama2Tokenizer);
        var copy = GgufHeader.Read(models.Llama2TokenizerChatMl);
        Assert.Null(original.ChatTemplate);
        Assert.Equal(TemplatedModels.ChatMl, copy.ChatTemplate);
        Assert.Equal(original.Version, copy.Version);
        Assert.Equal(original.Metadata.Count + 1, copy.Metadata.Count);
        Assert.All(original.Metadata, kv => Assert.Equal(kv.Value, copy.Metadata[kv.Key]));

        // llama.cpp loads the copy and reads the same metadata back; the real Llama-2 tokenizer survived.
        using var model = Load(models.Llama2TokenizerChatMl, "alpaca");
        Assert.Equal(TemplatedModels.ChatMl, model.Metadata["tokenizer.chat_template"]);
        Assert.Equal(32000, model.VocabularySize);
        Assert.Equal("gguf", model.Template.Name);
        Assert.Equal("Hello world", model.Detokenize(model.Tokenize("Hello world", addBos: false)).TrimStart());
    }

    [Fact]
    public void Rewriter_ReplacesAnExistingStringInPlaceOfTheOld()
    {
        var bytes = GgufRewriter.WithStrings(File.ReadAllBytes(TinyModels.Stories), new Dictionary<string, string> { ["general.architecture"] = "something-longer" });
        var path = models.PathFor("renamed");
        File.WriteAllBytes(path, bytes);
        var header = GgufHeader.Read(path);
        Assert.Equal("something-longer", header.Architecture);
        Assert.Equal(GgufHeader.Read(TinyModels.Stories).Metadata.Count, header.Metadata.Count);
    }

    /// <summary>
    /// The tensor data and the prompt are both intact: the copy with a chatml template and the original with the chatml
    /// fallback feed the model the same text and greedy decoding writes the same reply.
    /// </summary>
    [Fact]
    public async Task ChatMl_CopyGeneratesWhatTheOriginalWithTheChatMlFallbackGenerates()
    {
        using var templated = Load(models.StoriesChatMl, "alpaca");
        using var original = Load(TinyModels.Stories, "chatml");
        using var templatedClient = new LlamaSharpChatClient(templated, new ListLoggerFactory());
        using var originalClient = new LlamaSharpChatClient(original, new ListLoggerFactory());
        var fromTemplate = await templatedClient.GetResponseAsync(Prompt(), Greedy(maxTokens: 24));
        var fromFallback = await originalClient.GetResponseAsync(Prompt(), Greedy(maxTokens: 24));
        Assert.Equal(originalClient.LastRenderedPrompt, templatedClient.LastRenderedPrompt);
        Assert.False(string.IsNullOrWhiteSpace(fromTemplate.Text));
        Assert.Equal(fromFallback.Text, fromTemplate.Text);
    }

    [Fact]
    public async Task ChatMl_RendersExactlyWhatTheTemplateSaysAndIgnoresTheFallback()
    {
        using var model = Load(models.StoriesChatMl, "alpaca");
        Assert.Equal("gguf", model.Template.Name);
        Assert.Equal(["<|im_end|>"], model.Template.StopSequences);
        Assert.True(model.Template.IsPrefixStable);
        using var client = new LlamaSharpChatClient(model, new ListLoggerFactory());
        var conversation = new ChatConversation(client, SystemPrompt, Greedy());

        var reply1 = (await conversation.SendAsync(TaskText, null, CancellationToken.None)).Text;
        var prompt1 = "<|im_start|>system\nYou tell short stories.<|im_end|>\n" +
                      "<|im_start|>user\nOnce upon a time, there was a little girl named Lily.<|im_end|>\n" +
                      "<|im_start|>assistant\n";
        Assert.Equal(prompt1, client.LastRenderedPrompt);
        Assert.Equal(model.Tokenize(prompt1).Count, client.LastRequestStats!.PromptTokens);

        await conversation.SendAsync(Feedback, null, CancellationToken.None);
        var prompt2 = prompt1 + reply1 + "<|im_end|>\n<|im_start|>user\n" + Feedback + "<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(prompt2, client.LastRenderedPrompt);
        Assert.DoesNotContain("### Instruction", client.LastRenderedPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Llama3_RendersExactlyWhatTheTemplateSaysAndIgnoresTheFallback()
    {
        using var model = Load(models.StoriesLlama3, "chatml");
        Assert.Equal("gguf", model.Template.Name);
        Assert.Equal(["<|eot_id|>"], model.Template.StopSequences);
        Assert.True(model.Template.IsPrefixStable);
        using var client = new LlamaSharpChatClient(model, new ListLoggerFactory());
        var conversation = new ChatConversation(client, SystemPrompt, Greedy());

        var reply1 = (await conversation.SendAsync(TaskText, null, CancellationToken.None)).Text;
        // As the Jinja says: content trimmed, an assistant header to end. The BOS is the tokenizer's, not text.
        var prompt1 = "<|start_header_id|>system<|end_header_id|>\n\nYou tell short stories.<|eot_id|>" +
                      "<|start_header_id|>user<|end_header_id|>\n\nOnce upon a time, there was a little girl named Lily.<|eot_id|>" +
                      "<|start_header_id|>assistant<|end_header_id|>\n\n";
        Assert.Equal(prompt1, client.LastRenderedPrompt);

        await conversation.SendAsync("  " + Feedback + "\n", null, CancellationToken.None);
        var prompt2 = prompt1 + reply1.Trim() + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n" + Feedback + "<|eot_id|>" +
                      "<|start_header_id|>assistant<|end_header_id|>\n\n";
        Assert.Equal(prompt2, client.LastRenderedPrompt);
        Assert.DoesNotContain("<|im_start|>", client.LastRenderedPrompt, StringComparison.Ordinal);
    }

    /// <summary>Turn 2 takes the whole turn-1 prompt from the KV cache and evaluates only what follows it.</summary>
    [Theory]
    [InlineData("chatml")]
    [InlineData("llama3")]
    public async Task KvReuse_HoldsWithTheModelsTemplate(string which)
    {
        using var model = Load(which == "chatml" ? models.StoriesChatMl : models.StoriesLlama3, "alpaca");
        using var client = new LlamaSharpChatClient(model, new ListLoggerFactory());
        var conversation = new ChatConversation(client, SystemPrompt, Greedy());
        await conversation.SendAsync(TaskText, null, CancellationToken.None);
        var turn1 = client.LastRequestStats!;
        var prompt1 = client.LastRenderedPrompt!;
        Assert.Equal(0, turn1.ReusedPrefixTokens);

        var reply2 = (await conversation.SendAsync(Feedback, null, CancellationToken.None)).Text;
        var turn2 = client.LastRequestStats!;
        Assert.StartsWith(prompt1, client.LastRenderedPrompt!, StringComparison.Ordinal);
        Assert.Equal(model.Tokenize(client.LastRenderedPrompt!).Count, turn2.PromptTokens);
        Assert.Equal(turn2.PromptTokens - turn2.ReusedPrefixTokens, turn2.EvaluatedPromptTokens);
        Assert.True(turn2.ReusedPrefixTokens >= turn1.PromptTokens, $"reused {turn2.ReusedPrefixTokens} < turn-1 prompt {turn1.PromptTokens}");
        Assert.True(turn2.EvaluatedPromptTokens <= turn2.PromptTokens - turn1.PromptTokens,
            $"evaluated {turn2.EvaluatedPromptTokens} of {turn2.PromptTokens}; turn 1 had {turn1.PromptTokens}");
        Assert.True(turn2.EvaluatedPromptTokens >= model.Tokenize(Feedback, addBos: false).Count);

        // The reused cache is the right cache: the same history evaluated from scratch gives the same greedy reply.
        var fresh = await client.GetResponseAsync(conversation.Messages.Take(4).ToList(), Greedy());
        Assert.Equal(0, client.LastRequestStats!.ReusedPrefixTokens);
        Assert.Equal(reply2, fresh.Text);
    }

    /// <summary>
    /// The history sent back can differ from what the cache holds (here: whitespace around the reply). llama.cpp's
    /// Llama 3 format trims every message, so the prompt matches the cache to its end; chatml keeps the whitespace, so
    /// the cache is reused up to the first differing token and the rest is evaluated again. Either way the reply is
    /// the one the same history gets from scratch.
    /// </summary>
    [Theory]
    [InlineData("llama3", true)]
    [InlineData("chatml", false)]
    public async Task KvReuse_AHistoryThatDiffersFromTheCacheIsEvaluatedFromTheFirstDifference(string which, bool trims)
    {
        using var model = Load(which == "chatml" ? models.StoriesChatMl : models.StoriesLlama3, "alpaca");
        using var client = new LlamaSharpChatClient(model, new ListLoggerFactory());
        const string id = "rewritten";
        var reply = (await client.GetResponseAsync(Prompt(), Greedy(conversationId: id))).Text;
        var turn1 = client.LastRequestStats!;
        var cached = turn1.PromptTokens + turn1.GeneratedTokens - 1; // the last sampled token is never fed back
        List<ChatMessage> history = [.. Prompt(), new(ChatRole.Assistant, "\n  " + reply + "\n"), new(ChatRole.User, Feedback)];

        var again = await client.GetResponseAsync(history, Greedy(conversationId: id));
        var turn2 = client.LastRequestStats!;
        Assert.Equal(trims, client.LastRenderedPrompt!.Contains("\n\n" + reply + "<|eot_id|>", StringComparison.Ordinal));
        Assert.Equal(turn2.PromptTokens - turn2.ReusedPrefixTokens, turn2.EvaluatedPromptTokens);
        if (trims) Assert.Equal(cached, turn2.ReusedPrefixTokens);
        else Assert.InRange(turn2.ReusedPrefixTokens, turn1.PromptTokens, cached - 1);

        var fresh = await client.GetResponseAsync(history, Greedy());
        Assert.Equal(again.Text, fresh.Text);
    }

    /// <summary>
    /// llama.cpp does not run Jinja; a template without a format it recognises would fail every request, so the model
    /// uses the configured fallback and the log says why.
    /// </summary>
    [Fact]
    public async Task UnrecognisedTemplate_FallsBackToTheNamedTemplateWithAWarning()
    {
        var logs = new ListLoggerFactory();
        using var model = Load(models.WithTemplate(TinyModels.Stories, TemplatedModels.Unrecognised, "stories-unrecognised"), "llama2", logs);
        Assert.Equal(TemplatedModels.Unrecognised, model.Header.ChatTemplate);
        Assert.Equal("llama2", model.Template.Name);
        Assert.True(logs.Contains(LogLevel.Warning, "tokenizer.chat_template is not a format llama.cpp recognises"));
        Assert.True(logs.Contains(LogLevel.Warning, "using the fallback template 'llama2'"));

        using var client = new LlamaSharpChatClient(model, logs);
        var response = await client.GetResponseAsync(Prompt(), Greedy(maxTokens: 4));
        Assert.Equal(4, response.Usage!.OutputTokenCount);
        Assert.Equal("[INST] <<SYS>>\nYou tell short stories.\n<</SYS>>\n\nOnce upon a time, there was a little girl named Lily. [/INST]", client.LastRenderedPrompt);
    }

    [Fact]
    public void RecognisedTemplate_LogsNoWarning()
    {
        var logs = new ListLoggerFactory();
        using var model = Load(models.StoriesChatMl, "chatml", logs);
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.True(logs.Contains(LogLevel.Information, "chat template gguf"));
    }

    [Fact]
    public void UnknownFallbackName_IsAnErrorEvenWhenTheModelHasATemplate()
    {
        var error = Assert.Throws<ModelException>(() => Load(models.StoriesChatMl, "vicuna-9"));
        Assert.Contains("Unknown chat template 'vicuna-9'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefixCheck_CatchesATemplateThatRewritesEarlierTurns()
    {
        Assert.True(ChatPromptTemplate.CheckPrefixStable(ChatPromptTemplate.Named("chatml")));
        Assert.True(ChatPromptTemplate.CheckPrefixStable(ChatPromptTemplate.Named("llama2")));
        Assert.False(ChatPromptTemplate.CheckPrefixStable(new CountingTemplate()));
    }

    /// <summary>Starts with the number of messages, so every added turn changes the first line.</summary>
    private sealed class CountingTemplate : ChatPromptTemplate
    {
        public override string Name => "counting";

        public override IReadOnlyList<string> StopSequences => [];

        public override string Render(IReadOnlyList<ChatMessage> messages) =>
            messages.Count + "\n" + string.Concat(messages.Select(m => m.Text + "\n"));
    }
}
