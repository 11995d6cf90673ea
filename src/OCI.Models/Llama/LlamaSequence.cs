using LLama.Batched;
using LLama.Native;

namespace OCI.Models.Llama;

/// <summary>
/// One sequence of the shared context (a <see cref="Conversation"/> of the <see cref="BatchedExecutor"/>) and the
/// exact tokens its KV cells hold (positions 0..Count-1). The list changes only after a decode succeeds, so it always
/// matches the cache, even after a cancelled request. Touched only on the scheduler's loop.
/// </summary>
internal sealed class LlamaSequence(Conversation conversation) : IDisposable
{
    public Conversation Conversation { get; } = conversation;

    public List<LLamaToken> Tokens { get; } = [];

    /// <summary>Leading tokens whose KV cells another sequence holds too (a fork shares its parent's): counted once.</summary>
    public int SharedPrefix { get; set; }

    /// <summary>KV cells this sequence alone accounts for.</summary>
    public int OwnCells => Math.Max(0, Tokens.Count - SharedPrefix);

    /// <summary>A new sequence sharing this one's KV cells (no decode): the candidates of one prompt.</summary>
    public LlamaSequence Fork()
    {
        var fork = new LlamaSequence(Conversation.Fork()) { SharedPrefix = Tokens.Count };
        fork.Tokens.AddRange(Tokens);
        return fork;
    }

    /// <summary>Keeps the first <paramref name="count"/> tokens and removes the rest from the KV cache.</summary>
    public void TruncateTo(int count)
    {
        if (count >= Tokens.Count) return;
        Conversation.Rewind(Tokens.Count - count);
        Tokens.RemoveRange(count, Tokens.Count - count);
        SharedPrefix = Math.Min(SharedPrefix, count);
    }

    /// <summary>Tokens at the start that equal <paramref name="tokens"/>'s.</summary>
    public int CommonPrefix(IReadOnlyList<LLamaToken> tokens)
    {
        var common = 0;
        var limit = Math.Min(tokens.Count, Tokens.Count);
        while (common < limit && tokens[common] == Tokens[common]) common++;
        return common;
    }

    public void Dispose() => Conversation.Dispose();
}
