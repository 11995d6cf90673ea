using System.ClientModel.Primitives;

namespace OCI.Models.OpenAI;

/// <summary>
/// System.ClientModel's retry policy (transient statuses 408/429/5xx and network errors) with a configurable first
/// delay, doubling per try; counts the tries so errors can say how many were made.
/// </summary>
internal sealed class OpenAIRetryPolicy(int maxRetries, TimeSpan firstDelay) : ClientRetryPolicy(maxRetries)
{
    private int _tries;

    /// <summary>Requests sent, retries included, since the client was created.</summary>
    public int Tries => Volatile.Read(ref _tries);

    protected override void OnSendingRequest(PipelineMessage message)
    {
        Interlocked.Increment(ref _tries);
        base.OnSendingRequest(message);
    }

    protected override ValueTask OnSendingRequestAsync(PipelineMessage message)
    {
        Interlocked.Increment(ref _tries);
        return base.OnSendingRequestAsync(message);
    }

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) =>
        TimeSpan.FromTicks(firstDelay.Ticks * (1L << Math.Clamp(tryCount - 1, 0, 10)));
}
