using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Models.Llama;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>The named fallbacks used when a GGUF has no tokenizer.chat_template.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ChatPromptTemplateTests
{
    private static readonly List<ChatMessage> Turn1 = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Write Add.")];

    [Theory]
    [InlineData("chatml", "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWrite Add.<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("llama3", "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWrite Add.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData("llama2", "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nWrite Add. [/INST]")]
    [InlineData("phi3", "<|system|>\nBe brief.<|end|>\n<|user|>\nWrite Add.<|end|>\n<|assistant|>\n")]
    [InlineData("alpaca", "Be brief.\n\n### Instruction:\nWrite Add.\n\n### Response:\n")]
    public void Renders(string name, string expected) => Assert.Equal(expected, ChatPromptTemplate.Named(name).Render(Turn1));

    /// <summary>KV reuse depends on it: turn 2's prompt starts with turn 1's prompt followed by the reply.</summary>
    [Theory]
    [InlineData("chatml")]
    [InlineData("llama3")]
    [InlineData("llama2")]
    [InlineData("phi3")]
    [InlineData("alpaca")]
    public void IsPrefixStable(string name)
    {
        var template = ChatPromptTemplate.Named(name);
        var turn2 = new List<ChatMessage>(Turn1) { new(ChatRole.Assistant, "int Add() => 1;"), new(ChatRole.User, "error CS0103") };
        var first = template.Render(Turn1);
        var second = template.Render(turn2);
        Assert.StartsWith(first, second, StringComparison.Ordinal);
        Assert.Contains("int Add() => 1;", second[first.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_IsUsedForAModelWithoutTemplate()
    {
        using var model = LlamaModel.Load(TinyModels.Settings(TinyModels.Llama2Tokenizer) with { FallbackChatTemplate = "llama2" }, NullLoggerFactory.Instance);
        Assert.Null(model.Header.ChatTemplate);
        Assert.Equal("llama2", model.Template.Name);
        Assert.Equal(32000, model.VocabularySize);
        using var client = new LlamaSharpChatClient(model, NullLoggerFactory.Instance);
        var response = await client.GetResponseAsync(Turn1, new ChatOptions { Temperature = 0, MaxOutputTokens = 4 });
        Assert.Equal(model.Tokenize(model.Template.Render(Turn1)).Count, response.Usage!.InputTokenCount);
        // [INST] and [/INST] are plain text for this tokenizer; the rendered prompt is what was tokenized.
        Assert.Equal("[INST] <<SYS>>", model.Detokenize(model.Tokenize("[INST] <<SYS>>", addBos: false)).TrimStart());
    }
}
