using System.Text;
using LLama;
using Microsoft.Extensions.AI;

namespace OCI.Models.Llama;

/// <summary>
/// Renders chat messages into the prompt text a model was trained on. Rendering must be prefix-stable: the prompt of
/// turn N+1 starts with the prompt of turn N followed by the reply, which is what lets the KV cache be reused.
/// </summary>
public abstract class ChatPromptTemplate
{
    /// <summary>Names accepted as <see cref="ModelSettings.FallbackChatTemplate"/>.</summary>
    public static IReadOnlyList<string> FallbackNames { get; } = ["chatml", "llama3", "llama2", "phi3", "alpaca"];

    /// <summary>"gguf" for the model's own template, else the fallback's name.</summary>
    public abstract string Name { get; }

    /// <summary>Text markers that end an assistant turn when the model writes them as plain text.</summary>
    public abstract IReadOnlyList<string> StopSequences { get; }

    /// <summary>Renders <paramref name="messages"/> followed by the opening of an assistant turn.</summary>
    public abstract string Render(IReadOnlyList<ChatMessage> messages);

    /// <summary>The model's <c>tokenizer.chat_template</c> when it has one, else the named fallback.</summary>
    public static ChatPromptTemplate For(LLamaWeights weights, string? modelTemplate, string fallbackName)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return string.IsNullOrWhiteSpace(modelTemplate) ? Named(fallbackName) : new GgufChatTemplate(weights);
    }

    /// <summary>One of <see cref="FallbackNames"/>; throws <see cref="ModelException"/> for any other name.</summary>
    public static ChatPromptTemplate Named(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "chatml" => new NamedChatTemplate("chatml", "", "<|im_start|>{0}\n{1}<|im_end|>\n", "<|im_start|>assistant\n", ["<|im_end|>", "<|im_start|>"]),
        "llama3" => new NamedChatTemplate("llama3", "", "<|start_header_id|>{0}<|end_header_id|>\n\n{1}<|eot_id|>",
            "<|start_header_id|>assistant<|end_header_id|>\n\n", ["<|eot_id|>", "<|start_header_id|>"]),
        "phi3" => new NamedChatTemplate("phi3", "", "<|{0}|>\n{1}<|end|>\n", "<|assistant|>\n", ["<|end|>", "<|user|>"]),
        "alpaca" => new AlpacaChatTemplate(),
        "llama2" => new Llama2ChatTemplate(),
        _ => throw new ModelException(
            $"Unknown chat template '{name}'; use one of {string.Join(", ", FallbackNames)}."),
    };

    private protected static string RoleName(ChatRole role) =>
        role == ChatRole.System ? "system" : role == ChatRole.Assistant ? "assistant" : role == ChatRole.Tool ? "tool" : "user";
}

/// <summary>Templates of the form "a line per message, then an assistant header" (chatml, llama3, phi3).</summary>
internal sealed class NamedChatTemplate(string name, string prefix, string messageFormat, string assistantHeader, string[] stops) : ChatPromptTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> StopSequences => stops;

    public override string Render(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder(prefix);
        foreach (var message in messages)
        {
            text.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, messageFormat, RoleName(message.Role), message.Text));
        }
        return text.Append(assistantHeader).ToString();
    }
}

/// <summary>Alpaca: a system preamble, then "### Instruction:" / "### Response:" blocks.</summary>
internal sealed class AlpacaChatTemplate : ChatPromptTemplate
{
    public override string Name => "alpaca";

    public override IReadOnlyList<string> StopSequences { get; } = ["### Instruction:"];

    public override string Render(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System) text.Append(message.Text).Append("\n\n");
            else if (message.Role == ChatRole.Assistant) text.Append("### Response:\n").Append(message.Text).Append("\n\n");
            else text.Append("### Instruction:\n").Append(message.Text).Append("\n\n");
        }
        return text.Append("### Response:\n").ToString();
    }
}

/// <summary>Llama 2 chat: [INST] blocks, the system prompt folded into the first one.</summary>
internal sealed class Llama2ChatTemplate : ChatPromptTemplate
{
    public override string Name => "llama2";

    public override IReadOnlyList<string> StopSequences { get; } = ["[INST]", "</s>"];

    public override string Render(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder();
        string? system = null;
        var first = true;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System) { system = message.Text; continue; }
            if (message.Role == ChatRole.Assistant) { text.Append(' ').Append(message.Text).Append(" </s>"); continue; }
            text.Append(first ? "[INST] " : "<s>[INST] ");
            if (first && !string.IsNullOrEmpty(system)) text.Append("<<SYS>>\n").Append(system).Append("\n<</SYS>>\n\n");
            text.Append(message.Text).Append(" [/INST]");
            first = false;
        }
        return text.ToString();
    }
}

/// <summary>The model's own Jinja template, applied by llama.cpp's llama_chat_apply_template.</summary>
internal sealed class GgufChatTemplate(LLamaWeights weights) : ChatPromptTemplate
{
    public override string Name => "gguf";

    public override IReadOnlyList<string> StopSequences => [];

    public override string Render(IReadOnlyList<ChatMessage> messages)
    {
        var template = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
        foreach (var message in messages) template.Add(RoleName(message.Role), message.Text ?? string.Empty);
        return Encoding.UTF8.GetString(template.Apply());
    }
}
