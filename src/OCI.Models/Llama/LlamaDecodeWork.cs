using LLama.Native;

namespace OCI.Models.Llama;

/// <summary>
/// Tokens one sequence waits to have decoded, as the scheduler sees them: it feeds <see cref="Pending"/> in chunks
/// (foreground work first) and calls <see cref="OnDecoded"/> once the last of them is in the KV cache and its logits
/// are ready. Every member is used on the scheduler's loop only.
/// </summary>
internal abstract class LlamaDecodeWork(LlamaRequest request, LlamaSequence sequence)
{
    public LlamaRequest Request { get; } = request;

    public LlamaSequence Sequence { get; } = sequence;

    public List<LLamaToken> Pending { get; } = [];

    /// <summary>How many of <see cref="Pending"/> have been decoded.</summary>
    public int Fed { get; set; }

    public int Remaining => Pending.Count - Fed;

    public bool Ended { get; private set; }

    /// <summary>False while the reader has not caught up (streaming); the scheduler then leaves it out of the step.</summary>
    public virtual bool ReadyToDecode => true;

    /// <summary>The last pending token is decoded: sample (or fork), then either queue more tokens or <see cref="End"/>.</summary>
    public abstract void OnDecoded(LlamaScheduler scheduler);

    /// <summary>Stops this work (finished, cancelled or failed); the request learns of it once.</summary>
    public void End(Exception? error)
    {
        if (Ended) return;
        Ended = true;
        OnEnded(error);
        Request.WorkEnded(this, error);
    }

    protected virtual void OnEnded(Exception? error) { }
}
