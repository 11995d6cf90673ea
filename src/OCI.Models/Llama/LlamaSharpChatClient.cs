using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// In-process chat over a GGUF with LLamaSharp. One <see cref="LlamaModel"/> (the weights) serves every request;
/// requests wait their turn in the model's FIFO queue; each <see cref="ChatOptions.ConversationId"/> keeps its own
/// context, so a later turn evaluates only what follows the prefix already in its KV cache. Requests without a
/// conversation id get a throwaway context.
/// </summary>
public sealed class LlamaSharpChatClient : IChatClient
{
    private readonly ILogger _logger;
    private readonly LlamaConversationStore _conversations;
    private readonly bool _ownsModelReference;
    private LlamaRequestStats? _lastStats;
    private string? _lastRenderedPrompt;
    private int _disposed;

    /// <param name="model">The shared model.</param>
    /// <param name="loggerFactory">Logging (stderr).</param>
    /// <param name="maxConversations">Contexts kept alive at once; the least recently used is freed first.</param>
    /// <param name="idleTimeout">A conversation unused this long is freed (default 15 minutes).</param>
    /// <param name="ownsModelReference">True when this client holds a <see cref="LlamaModelCache"/> reference to release on dispose.</param>
    public LlamaSharpChatClient(LlamaModel model, ILoggerFactory loggerFactory, int maxConversations = 4, TimeSpan? idleTimeout = null, bool ownsModelReference = false)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<LlamaSharpChatClient>();
        _conversations = new LlamaConversationStore(maxConversations, idleTimeout ?? TimeSpan.FromMinutes(15), _logger);
        _ownsModelReference = ownsModelReference;
        Metadata = new ChatClientMetadata("llamasharp", new Uri(model.Path), Path.GetFileName(model.Path));
    }

    public LlamaModel Model { get; }

    public ChatClientMetadata Metadata { get; }

    /// <summary>The counters of the last completed (or cancelled) request.</summary>
    public LlamaRequestStats? LastRequestStats => Volatile.Read(ref _lastStats);

    /// <summary>The prompt text the last request fed the model, as the chat template rendered it (for tests and diagnostics).</summary>
    internal string? LastRenderedPrompt => Volatile.Read(ref _lastRenderedPrompt);

    /// <summary>Conversations whose context is alive, most recently used first (for tests of eviction).</summary>
    internal IReadOnlyList<string> ConversationIds => _conversations.Ids;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);
        response.ConversationId = options?.ConversationId;
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var list = messages.ToList();
        if (list.Count == 0) throw new ArgumentException("At least one message is needed.", nameof(messages));
        var conversationId = options?.ConversationId;
        var responseId = Guid.NewGuid().ToString("N");

        await Model.RequestQueue.WaitAsync(cancellationToken).ConfigureAwait(false);
        LlamaConversationState? temporary = null;
        LlamaGeneration? generation = null;
        try
        {
            var state = conversationId is null
                ? temporary = new LlamaConversationState(null, Model.CreateContext())
                : _conversations.GetOrCreate(conversationId, () => new LlamaConversationState(conversationId, Model.CreateContext()));
            state.LastUsedUtc = DateTime.UtcNow;
            generation = new LlamaGeneration(Model, state, list, options, Model.Settings, _logger);
            while (await generation.NextAsync(cancellationToken).ConfigureAwait(false) is { } text)
            {
                if (text.Length == 0) continue;
                yield return new ChatResponseUpdate(ChatRole.Assistant, text)
                {
                    ResponseId = responseId,
                    ConversationId = conversationId,
                    ModelId = Metadata.DefaultModelId,
                };
            }
            var stats = generation.Stats;
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ResponseId = responseId,
                ConversationId = conversationId,
                ModelId = Metadata.DefaultModelId,
                FinishReason = generation.FinishReason,
                Contents =
                [
                    new UsageContent(new UsageDetails
                    {
                        InputTokenCount = stats.PromptTokens,
                        OutputTokenCount = stats.GeneratedTokens,
                        TotalTokenCount = stats.PromptTokens + stats.GeneratedTokens,
                        AdditionalCounts = new AdditionalPropertiesDictionary<long>
                        {
                            [UsageCountKeys.ReusedPrefixTokens] = stats.ReusedPrefixTokens,
                            [UsageCountKeys.EvaluatedPromptTokens] = stats.EvaluatedPromptTokens,
                            [UsageCountKeys.DroppedRounds] = stats.DroppedRounds,
                        },
                    }),
                ],
            };
        }
        finally
        {
            if (generation is not null)
            {
                var stats = generation.Stats;
                Volatile.Write(ref _lastStats, stats);
                Volatile.Write(ref _lastRenderedPrompt, generation.RenderedPrompt);
                generation.Dispose();
            }
            temporary?.Dispose();
            Model.RequestQueue.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        if (serviceType == typeof(LlamaModel)) return Model;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _conversations.Dispose();
        if (_ownsModelReference) LlamaModelCache.Release(Model);
    }
}
