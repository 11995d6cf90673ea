using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Models.Candidates;

namespace OCI.Models.Llama;

/// <summary>
/// In-process chat over a GGUF with LLamaSharp. One <see cref="LlamaModel"/> (the weights) serves every request, and one
/// <see cref="LlamaScheduler"/> (one context, LLamaSharp's BatchedExecutor) decodes all of this client's requests
/// together, foreground first. Each <see cref="ChatOptions.ConversationId"/> keeps its own sequence, so a later turn
/// evaluates only what follows the prefix already in its KV cells; requests without a conversation id get a throwaway
/// sequence. <see cref="GetCandidatesAsync"/> writes several candidates from one evaluation of the prompt.
/// </summary>
public sealed class LlamaSharpChatClient : IChatClient, ICandidateChatClient
{
    private readonly ILogger _logger;
    private readonly LlamaScheduler _scheduler;
    private readonly bool _ownsModelReference;
    private LlamaRequestStats? _lastStats;
    private string? _lastRenderedPrompt;
    private int _disposed;

    /// <param name="model">The shared model.</param>
    /// <param name="loggerFactory">Logging (stderr).</param>
    /// <param name="maxConversations">Conversations whose KV cells are kept; the least recently used is freed first.</param>
    /// <param name="idleTimeout">A conversation unused this long is freed (default 15 minutes).</param>
    /// <param name="ownsModelReference">True when this client holds a <see cref="LlamaModelCache"/> reference to release on dispose.</param>
    public LlamaSharpChatClient(LlamaModel model, ILoggerFactory loggerFactory, int maxConversations = 4, TimeSpan? idleTimeout = null, bool ownsModelReference = false)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<LlamaSharpChatClient>();
        _scheduler = new LlamaScheduler(model, maxConversations, idleTimeout ?? TimeSpan.FromMinutes(15), _logger);
        _ownsModelReference = ownsModelReference;
        Metadata = new ChatClientMetadata("llamasharp", new Uri(model.Path), Path.GetFileName(model.Path));
    }

    public LlamaModel Model { get; }

    public ChatClientMetadata Metadata { get; }

    /// <summary>The counters of the last completed (or cancelled) request.</summary>
    public LlamaRequestStats? LastRequestStats => Volatile.Read(ref _lastStats);

    /// <summary>What the shared KV cache holds now.</summary>
    public LlamaKvUsage KvUsage => _scheduler.KvUsage;

    /// <summary>Raised on the decode loop after each step (tests and benchmarks).</summary>
    internal event Action<LlamaStep>? StepDecoded
    {
        add => _scheduler.StepDecoded += value;
        remove => _scheduler.StepDecoded -= value;
    }

    /// <summary>The prompt text the last request fed the model, as the chat template rendered it (for tests and diagnostics).</summary>
    internal string? LastRenderedPrompt => Volatile.Read(ref _lastRenderedPrompt);

    /// <summary>Conversations whose sequences are kept, most recently used first (for tests of eviction).</summary>
    internal IReadOnlyList<string> ConversationIds => _scheduler.ConversationIds;

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
        var conversationId = options?.ConversationId;
        var responseId = Guid.NewGuid().ToString("N");
        ChatFinishReason? finishReason = null;
        LlamaRequestStats? stats = null;
        await foreach (var piece in RunAsync(messages, [options], options, streaming: true, _ => { }, s => stats = s, cancellationToken).ConfigureAwait(false))
        {
            if (piece.Final)
            {
                finishReason = piece.FinishReason;
                continue;
            }
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece.Text)
            {
                ResponseId = responseId,
                ConversationId = conversationId,
                ModelId = Metadata.DefaultModelId,
            };
        }
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            ConversationId = conversationId,
            ModelId = Metadata.DefaultModelId,
            FinishReason = finishReason,
            Contents = [new UsageContent(Usage(stats!, stats!.GeneratedTokens))],
        };
    }

    /// <summary>
    /// <paramref name="count"/> candidates from one evaluation of the prompt: forks of the conversation's sequence
    /// decoded in one batch, sampled per <see cref="CandidateSampling"/>, yielded as each completes. Leaving early
    /// cancels the rest; the conversation then keeps every candidate's sequence, and its next request continues from
    /// the one its prompt shares the most with (the candidate the caller chose).
    /// </summary>
    public async IAsyncEnumerable<CandidateReply> GetCandidatesAsync(
        IReadOnlyList<ChatMessage> messages, int count, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var perCandidate = Enumerable.Range(0, count).Select(i => (ChatOptions?)CandidateSampling.For(options, i)).ToList();
        var started = DateTime.UtcNow;
        LlamaRequest? request = null;
        await foreach (var piece in RunAsync(messages, perCandidate, options, streaming: false, r => request = r, _ => { }, cancellationToken).ConfigureAwait(false))
        {
            if (!piece.Final) continue;
            yield return new CandidateReply(piece.Index, piece.WholeText ?? "", request!.Prompt.Tokens.Count, piece.GeneratedTokens, DateTime.UtcNow - started, piece.FinishReason,
                request.ReusedPrefixTokens, request.EvaluatedPromptTokens);
        }
    }

    private async IAsyncEnumerable<LlamaPiece> RunAsync(
        IEnumerable<ChatMessage> messages, IReadOnlyList<ChatOptions?> candidateOptions, ChatOptions? options, bool streaming,
        Action<LlamaRequest> onStart, Action<LlamaRequestStats> onStats, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var list = messages.ToList();
        if (list.Count == 0) throw new ArgumentException("At least one message is needed.", nameof(messages));
        var maxTokens = candidateOptions.Max(o => o?.MaxOutputTokens ?? Model.Settings.MaxTokens);
        var prompt = LlamaPromptFit.Fit(Model, list, maxTokens, options?.ConversationId, _logger);
        Volatile.Write(ref _lastRenderedPrompt, prompt.Rendered);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var request = new LlamaRequest(options?.ConversationId, prompt, candidateOptions, ModelPriorityOptions.PriorityOf(options), streaming, stop.Token);
        onStart(request);
        _scheduler.Submit(request);
        try
        {
            while (await request.Output.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (request.Output.Reader.TryRead(out var piece))
                {
                    yield return piece;
                }
            }
        }
        finally
        {
            // Leaving early (cancelled, or the caller has what it needs) stops the rest; the sequences keep what was decoded.
            await stop.CancelAsync().ConfigureAwait(false);
            await request.Completion.ConfigureAwait(false);
            var stats = request.Stats;
            Volatile.Write(ref _lastStats, stats);
            onStats(stats);
            _logger.LogDebug("Conversation {Id}: prompt {Prompt} tokens, {Reused} reused from the KV cache, {Evaluated} evaluated, {Candidates} candidate(s), {Generated} generated",
                stats.ConversationId, stats.PromptTokens, stats.ReusedPrefixTokens, stats.EvaluatedPromptTokens, stats.Candidates, stats.GeneratedTokens);
        }
    }

    private static UsageDetails Usage(LlamaRequestStats stats, long generated) => new()
    {
        InputTokenCount = stats.PromptTokens,
        OutputTokenCount = generated,
        TotalTokenCount = stats.PromptTokens + generated,
        AdditionalCounts = new AdditionalPropertiesDictionary<long>
        {
            [UsageCountKeys.ReusedPrefixTokens] = stats.ReusedPrefixTokens,
            [UsageCountKeys.EvaluatedPromptTokens] = stats.EvaluatedPromptTokens,
            [UsageCountKeys.DroppedRounds] = stats.DroppedRounds,
        },
    };

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
        _scheduler.Dispose();
        if (_ownsModelReference) LlamaModelCache.Release(Model);
    }
}
