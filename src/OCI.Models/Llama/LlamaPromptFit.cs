using LLama.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>The prompt as the model is fed it: rendered, tokenized, and fitted to one sequence's context.</summary>
internal sealed record LlamaPrompt(IReadOnlyList<LLamaToken> Tokens, string Rendered, int DroppedRounds);

/// <summary>
/// Renders the messages with the model's template and fits them to a sequence's context (<c>oci.model.contextSize</c>)
/// with room for the reply, dropping the oldest feedback rounds first (the system prompt, the task and the last turn stay).
/// </summary>
internal static class LlamaPromptFit
{
    public static LlamaPrompt Fit(LlamaModel model, IReadOnlyList<ChatMessage> messages, int maxTokens, string? conversationId, ILogger logger)
    {
        var contextSize = (int)model.ContextSize;
        var reserve = Math.Min(maxTokens, contextSize / 4);
        var kept = messages.ToList();
        var rendered = model.Template.Render(kept);
        var tokens = model.Tokenize(rendered);
        var dropped = 0;
        while (tokens.Count + reserve > contextSize)
        {
            if (!DropOldestRound(kept))
            {
                throw new ModelException(
                    $"The task does not fit the model's context: the prompt needs {tokens.Count} tokens plus {reserve} for the reply, " +
                    $"but the context holds {contextSize}. Raise oci.model.contextSize or shorten the task.");
            }
            dropped++;
            rendered = model.Template.Render(kept);
            tokens = model.Tokenize(rendered);
        }
        if (dropped > 0)
        {
            logger.LogWarning("Conversation {Id}: the context ({Context} tokens) is full; dropped the {Dropped} oldest feedback round(s), kept the system prompt and the task",
                conversationId, contextSize, dropped);
        }
        return new LlamaPrompt(tokens, rendered, dropped);
    }

    /// <summary>Removes the oldest feedback round (a reply and the feedback after it) between the task and the last turn.</summary>
    private static bool DropOldestRound(List<ChatMessage> messages)
    {
        var task = messages.FindIndex(m => m.Role == ChatRole.User);
        if (task < 0) return false;
        var droppable = messages.Count - 1 - (task + 1); // everything after the task except the current turn
        if (droppable <= 0) return false;
        messages.RemoveRange(task + 1, Math.Min(2, droppable));
        return true;
    }
}
