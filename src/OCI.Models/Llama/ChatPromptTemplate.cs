using System.Diagnostics.CodeAnalysis;
using System.Text;
using LLama;
using LLama.Exceptions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OCI.Models.Llama;

/// <summary>
/// Renders chat messages into the prompt text a model was trained on. Rendering must be prefix-stable: the prompt of
/// turn N+1 starts with the prompt of turn N followed by the reply, which is what lets the KV cache be reused.
/// The model's own template is what llama.cpp renders for it, which can rewrite a reply (Llama 3 trims each message):
/// the model is still fed exactly that text, and the KV cache is reused up to the first token that differs, so a
/// rewritten reply costs re-evaluating it, never a wrong cache.
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

    /// <summary>True when rendering keeps earlier turns' text unchanged (see <see cref="CheckPrefixStable"/>).</summary>
    public virtual bool IsPrefixStable => true;

    /// <summary>The model's <c>tokenizer.chat_template</c> when it has one, else the named fallback.</summary>
    public static ChatPromptTemplate For(LLamaWeights weights, string? modelTemplate, string fallbackName) =>
        For(weights, modelTemplate, fallbackName, NullLogger.Instance);

    /// <summary>
    /// The model's <c>tokenizer.chat_template</c> when llama.cpp can render it, else the named fallback.
    /// llama.cpp does not run Jinja: <c>llama_chat_apply_template</c> recognises the template among its built-in
    /// formats (by name or by markers such as <c>&lt;|im_start|&gt;</c> or <c>&lt;|start_header_id|&gt;</c>) and
    /// renders that format. A template it does not recognise would fail on every request, so it is tried once here
    /// and, when it fails, the configured fallback is used and a warning says so: a model that loads must be usable.
    /// </summary>
    public static ChatPromptTemplate For(LLamaWeights weights, string? modelTemplate, string fallbackName, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(modelTemplate)) return Named(fallbackName);
        var fallback = Named(fallbackName); // an invalid fallback name is an error even when the model has a template
        if (!GgufChatTemplate.TryCreate(weights, out var template, out var failure))
        {
            logger.LogWarning(
                "The model's tokenizer.chat_template is not a format llama.cpp recognises ({Failure}; llama.cpp matches built-in " +
                "formats, it does not run Jinja); using the fallback template '{Fallback}' (oci.model.fallbackChatTemplate)",
                failure, fallback.Name);
            return fallback;
        }
        if (!template.IsPrefixStable)
        {
            logger.LogWarning(
                "The model's chat template rewrites earlier turns when a turn is added; KV-cache reuse across turns will be partial " +
                "(each turn re-evaluates from the first changed token)");
        }
        return template;
    }

    /// <summary>
    /// KV reuse depends on it: renders a probe conversation of one and of two rounds and checks that the second starts
    /// with the first followed by the reply (whitespace the template puts before the reply is allowed).
    /// </summary>
    internal static bool CheckPrefixStable(ChatPromptTemplate template)
    {
        const string reply = "OCIPROBEREPLY";
        List<ChatMessage> turn1 = [new(ChatRole.System, "OCIPROBESYSTEM"), new(ChatRole.User, "OCIPROBETASK")];
        List<ChatMessage> turn2 = [.. turn1, new(ChatRole.Assistant, reply), new(ChatRole.User, "OCIPROBEFEEDBACK")];
        var first = template.Render(turn1);
        var second = template.Render(turn2);
        return second.StartsWith(first, StringComparison.Ordinal)
               && second.AsSpan(first.Length).TrimStart().StartsWith(reply, StringComparison.Ordinal);
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

/// <summary>
/// The model's own <c>tokenizer.chat_template</c>, rendered by llama.cpp's <c>llama_chat_apply_template</c> (the built-in
/// format it recognises in the template, see <see cref="ChatPromptTemplate.For(LLamaWeights, string?, string, ILogger)"/>).
/// Built only through <see cref="TryCreate"/>, which renders a probe first, so a template llama.cpp cannot render never
/// reaches a request.
/// </summary>
internal sealed class GgufChatTemplate : ChatPromptTemplate
{
    private const string ReplyProbe = "OCIPROBEREPLY";
    private readonly LLamaWeights _weights;
    private bool _prefixStable = true;

    private GgufChatTemplate(LLamaWeights weights) => _weights = weights;

    public override string Name => "gguf";

    /// <summary>The text the template puts after an assistant turn (e.g. &lt;|im_end|&gt;, &lt;|eot_id|&gt;), for models
    /// whose end-of-turn marker is not a special token and so arrives as plain text.</summary>
    public override IReadOnlyList<string> StopSequences => Stops;

    public override bool IsPrefixStable => _prefixStable;

    private string[] Stops { get; set; } = [];

    /// <summary>The template when llama.cpp renders it; else null and why.</summary>
    public static bool TryCreate(LLamaWeights weights, [NotNullWhen(true)] out GgufChatTemplate? template, [NotNullWhen(false)] out string? failure)
    {
        var candidate = new GgufChatTemplate(weights);
        try
        {
            var endOfReply = candidate.Render([new(ChatRole.User, "OCIPROBETASK"), new(ChatRole.Assistant, ReplyProbe)], addAssistant: false);
            var at = endOfReply.LastIndexOf(ReplyProbe, StringComparison.Ordinal);
            var marker = at < 0 ? "" : endOfReply[(at + ReplyProbe.Length)..].Trim();
            candidate.Stops = marker.Length > 0 ? [marker] : [];
            candidate._prefixStable = CheckPrefixStable(candidate);
        }
        catch (ModelException e)
        {
            template = null;
            failure = e.Message;
            return false;
        }
        template = candidate;
        failure = null;
        return true;
    }

    public override string Render(IReadOnlyList<ChatMessage> messages) => Render(messages, addAssistant: true);

    private string Render(IReadOnlyList<ChatMessage> messages, bool addAssistant)
    {
        try
        {
            var template = new LLamaTemplate(_weights, strict: true) { AddAssistant = addAssistant };
            foreach (var message in messages) template.Add(RoleName(message.Role), message.Text ?? string.Empty);
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (Exception e) when (e is MissingTemplateException or RuntimeError)
        {
            throw new ModelException($"llama.cpp cannot render the model's chat template: {e.Message}", e);
        }
    }
}
