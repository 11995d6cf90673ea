using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// A conversation's sequences: the one that holds its history, and after a request for several candidates the forks
/// that hold the other candidates (the next request keeps whichever shares the longest prefix with its prompt).
/// <see cref="Busy"/> while a request runs on it; later requests for it wait in <see cref="Waiting"/>.
/// </summary>
internal sealed class LlamaConversationSlot(string? id) : IDisposable
{
    public string? Id { get; } = id;

    public List<LlamaSequence> Sequences { get; } = [];

    public DateTime LastUsedUtc { get; set; } = DateTime.UtcNow;

    public bool Busy { get; set; }

    public Queue<LlamaRequest> Waiting { get; } = new();

    public int OwnCells => Sequences.Sum(s => s.OwnCells);

    /// <summary>Keeps only <paramref name="kept"/> (it then owns all its cells) and frees the other sequences.</summary>
    public void KeepOnly(LlamaSequence kept)
    {
        foreach (var sequence in Sequences.Where(s => s != kept)) sequence.Dispose();
        Sequences.Clear();
        Sequences.Add(kept);
        kept.SharedPrefix = 0;
    }

    public void Dispose()
    {
        foreach (var sequence in Sequences) sequence.Dispose();
        Sequences.Clear();
    }
}

/// <summary>
/// Conversation slots by <see cref="Microsoft.Extensions.AI.ChatOptions.ConversationId"/>, least recently used first
/// out: at most <c>maxConversations</c> are kept, any idle longer than <c>idleTimeout</c> is freed, and a busy one is
/// never freed. Touched only on the scheduler's loop; <see cref="Ids"/> is a snapshot for tests.
/// </summary>
internal sealed class LlamaConversationStore(int maxConversations, TimeSpan idleTimeout, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, LinkedListNode<LlamaConversationSlot>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<LlamaConversationSlot> _recency = new(); // most recent first
    private volatile string[] _ids = [];

    public IReadOnlyList<string> Ids => _ids;

    public IEnumerable<LlamaConversationSlot> Slots => _recency;

    /// <summary>The conversation's slot, created when new; evicts idle and surplus ones.</summary>
    public LlamaConversationSlot GetOrCreate(string id)
    {
        EvictIdle();
        if (_byId.TryGetValue(id, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }
        else
        {
            while (_byId.Count >= Math.Max(1, maxConversations) && LeastRecentIdle() is { } oldest)
            {
                logger.LogDebug("Evicting conversation {Id} (least recently used; limit {Limit})", oldest.Value.Id, maxConversations);
                Remove(oldest);
            }
            node = _recency.AddFirst(new LlamaConversationSlot(id));
            _byId[id] = node;
        }
        node.Value.LastUsedUtc = DateTime.UtcNow;
        Publish();
        return node.Value;
    }

    /// <summary>Frees the least recently used slot that no request is using (to make room in the KV cache); false when none is idle.</summary>
    public bool EvictOne()
    {
        if (LeastRecentIdle() is not { } oldest) return false;
        logger.LogDebug("Evicting conversation {Id} (the KV cache is full)", oldest.Value.Id);
        Remove(oldest);
        Publish();
        return true;
    }

    private LinkedListNode<LlamaConversationSlot>? LeastRecentIdle()
    {
        for (var node = _recency.Last; node is not null; node = node.Previous)
        {
            if (!node.Value.Busy) return node;
        }
        return null;
    }

    private void EvictIdle()
    {
        var cutoff = DateTime.UtcNow - idleTimeout;
        for (var node = _recency.Last; node is not null;)
        {
            var previous = node.Previous;
            if (!node.Value.Busy && node.Value.LastUsedUtc < cutoff)
            {
                logger.LogDebug("Evicting conversation {Id} (idle since {LastUsed:O})", node.Value.Id, node.Value.LastUsedUtc);
                Remove(node);
            }
            node = previous;
        }
    }

    private void Remove(LinkedListNode<LlamaConversationSlot> node)
    {
        _recency.Remove(node);
        _byId.Remove(node.Value.Id!);
        node.Value.Dispose();
    }

    private void Publish() => _ids = [.. _recency.Select(s => s.Id!)];

    /// <summary>Forgets every slot without touching the KV cache (the context they lived in is gone).</summary>
    public void Clear()
    {
        _recency.Clear();
        _byId.Clear();
        Publish();
    }

    public void Dispose()
    {
        foreach (var slot in _recency) slot.Dispose();
        Clear();
    }
}
