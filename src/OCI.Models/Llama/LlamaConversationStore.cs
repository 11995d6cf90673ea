using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// Conversation contexts by <see cref="Microsoft.Extensions.AI.ChatOptions.ConversationId"/>, least recently used
/// first out: at most <c>maxConversations</c> are kept, and any idle longer than <c>idleTimeout</c> is freed. Only
/// touched while the model's request queue is held, so it needs no lock of its own beyond disposal.
/// </summary>
internal sealed class LlamaConversationStore(int maxConversations, TimeSpan idleTimeout, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, LinkedListNode<LlamaConversationState>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<LlamaConversationState> _recency = new(); // most recent first
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _byId.Count; }
    }

    public IReadOnlyList<string> Ids
    {
        get { lock (_gate) return [.. _recency.Select(s => s.Id!)]; }
    }

    /// <summary>The conversation's state, created with <paramref name="create"/> when new; evicts idle and surplus ones.</summary>
    public LlamaConversationState GetOrCreate(string id, Func<LlamaConversationState> create)
    {
        lock (_gate)
        {
            EvictIdle();
            if (_byId.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                node.Value.LastUsedUtc = DateTime.UtcNow;
                return node.Value;
            }
            while (_byId.Count >= Math.Max(1, maxConversations))
            {
                var oldest = _recency.Last!;
                logger.LogDebug("Evicting conversation {Id} (least recently used; limit {Limit})", oldest.Value.Id, maxConversations);
                Remove(oldest);
            }
            var state = create();
            _byId[id] = _recency.AddFirst(state);
            return state;
        }
    }

    private void EvictIdle()
    {
        var cutoff = DateTime.UtcNow - idleTimeout;
        while (_recency.Last is { } oldest && oldest.Value.LastUsedUtc < cutoff)
        {
            logger.LogDebug("Evicting conversation {Id} (idle since {LastUsed:O})", oldest.Value.Id, oldest.Value.LastUsedUtc);
            Remove(oldest);
        }
    }

    private void Remove(LinkedListNode<LlamaConversationState> node)
    {
        _recency.Remove(node);
        _byId.Remove(node.Value.Id!);
        node.Value.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var state in _recency) state.Dispose();
            _recency.Clear();
            _byId.Clear();
        }
    }
}
