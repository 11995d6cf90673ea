using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Models.Llama;
using OCI.Models.OpenAI;

namespace OCI.Models;

/// <summary>
/// Creates the chat client for a <see cref="ModelSettings"/>. The returned <see cref="IChatClient"/> is the only
/// model type the engine sees; it honours <see cref="ChatOptions.ConversationId"/> so that backends which can
/// (LLamaSharp) keep one KV cache per refine conversation and evaluate only new tokens on later turns.
/// </summary>
public static class ChatModelFactory
{
    /// <summary>Returns null for <see cref="ModelBackend.None"/>; throws <see cref="ModelException"/> with a clear message otherwise.</summary>
    public static IChatClient? Create(ModelSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return settings.Backend switch
        {
            ModelBackend.None => null,
            ModelBackend.LlamaSharp => CreateLlamaSharp(settings, loggerFactory),
            ModelBackend.OpenAI => OpenAICompatibleChatClient.Create(settings, loggerFactory),
            _ => throw new ModelException($"Unknown model backend {settings.Backend}."),
        };
    }

    /// <summary>The weights come from <see cref="LlamaModelCache"/>: every client for the same file and parameters shares them.</summary>
    private static LlamaSharpChatClient CreateLlamaSharp(ModelSettings settings, ILoggerFactory loggerFactory)
    {
        var model = LlamaModelCache.Acquire(settings, loggerFactory);
        return new LlamaSharpChatClient(model, loggerFactory, ownsModelReference: true);
    }
}
