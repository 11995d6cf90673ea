using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

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
            _ => throw new ModelException($"The {settings.Backend} backend is not available in this build yet."),
        };
    }
}
