using Microsoft.Extensions.AI;

namespace OCI.Models.Candidates;

/// <summary>
/// How candidate <c>i</c> of a round samples: candidate 0 is greedy (what a single-candidate round writes), the others
/// sample with the configured temperature (0.8 when it is 0, since several greedy candidates would be one) and top-p,
/// each with its own seed derived from the configured one, so the same request gives the same candidates.
/// </summary>
public static class CandidateSampling
{
    public const float DefaultTemperature = 0.8f;

    public const float DefaultTopP = 0.95f;

    public static ChatOptions For(ChatOptions? options, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var copy = options?.Clone() ?? new ChatOptions();
        if (index == 0)
        {
            copy.Temperature = 0;
            return copy;
        }
        var temperature = options?.Temperature is > 0 and var t ? t : DefaultTemperature;
        copy.Temperature = temperature;
        copy.TopP = options?.TopP is > 0 and < 1 and var p ? p : DefaultTopP;
        copy.Seed = unchecked((options?.Seed ?? 42) + 7919 * index);
        return copy;
    }
}
