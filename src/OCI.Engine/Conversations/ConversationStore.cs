using OCI.Models;

namespace OCI.Engine.Conversations;

/// <summary>
/// Recent conversations by id, so "Refine selection" can continue the same conversation when the user refines
/// again (the model keeps the context of earlier rounds). Bounded: the oldest are forgotten first.
/// </summary>
public sealed class ConversationStore(int capacity = 32)
{
    private readonly LinkedList<ChatConversation> _order = new();
    private readonly Dictionary<string, LinkedListNode<ChatConversation>> _byId = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void Remember(ChatConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        lock (_gate)
        {
            if (_byId.Remove(conversation.Id, out var existing)) _order.Remove(existing);
            _byId[conversation.Id] = _order.AddFirst(conversation);
            while (_order.Count > capacity)
            {
                _byId.Remove(_order.Last!.Value.Id);
                _order.RemoveLast();
            }
        }
    }

    public ChatConversation? Find(string? id)
    {
        if (id is null) return null;
        lock (_gate) return _byId.TryGetValue(id, out var node) ? node.Value : null;
    }

    /// <summary>Forgets everything (the model changed: old conversations belong to the old client).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byId.Clear();
            _order.Clear();
        }
    }
}
