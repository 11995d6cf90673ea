using LLama;
using LLama.Native;

namespace OCI.Models.Llama;

/// <summary>
/// One conversation's context and the exact tokens its KV cache holds (sequence 0, positions 0..Count-1). The list
/// is only changed after a decode succeeds, so it always matches the cache, even after a cancelled request.
/// </summary>
internal sealed class LlamaConversationState(string? id, LLamaContext context) : IDisposable
{
    public string? Id { get; } = id;

    public LLamaContext Context { get; } = context;

    public List<LLamaToken> Tokens { get; } = [];

    public DateTime LastUsedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>Keeps the first <paramref name="count"/> tokens and removes the rest from the KV cache.</summary>
    public void TruncateTo(int count)
    {
        if (count >= Tokens.Count) return;
        Context.NativeHandle.MemorySequenceRemove(LLamaSeqId.Zero, count, -1);
        Tokens.RemoveRange(count, Tokens.Count - count);
    }

    public void Dispose() => Context.Dispose();
}
