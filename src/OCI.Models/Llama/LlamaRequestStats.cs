namespace OCI.Models.Llama;

/// <summary>
/// What one request cost: the rendered prompt's length, how much of it was already in the conversation's KV cache
/// (<see cref="ReusedPrefixTokens"/>), how many tokens were actually evaluated, and timings. The same counts travel
/// with the response in <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/> under <see cref="UsageCountKeys"/>.
/// </summary>
public sealed record LlamaRequestStats(
    string? ConversationId,
    int PromptTokens,
    int ReusedPrefixTokens,
    int EvaluatedPromptTokens,
    int GeneratedTokens,
    int DroppedRounds,
    TimeSpan PromptTime,
    TimeSpan GenerationTime)
{
    /// <summary>The context one sequence may fill (oci.model.contextSize; the shared KV cache holds several).</summary>
    public int ContextSize { get; init; }

    /// <summary>Candidate replies written from this one prompt (forked sequences decoded together).</summary>
    public int Candidates { get; init; } = 1;

    /// <summary>Tokens run through the model: the evaluated prompt plus every generated token that was fed back.</summary>
    public int EvaluatedTokens => EvaluatedPromptTokens + Math.Max(0, GeneratedTokens - 1);

    public double PromptTokensPerSecond => PromptTime.TotalSeconds > 0 ? EvaluatedPromptTokens / PromptTime.TotalSeconds : 0;

    public double GenerationTokensPerSecond => GenerationTime.TotalSeconds > 0 ? GeneratedTokens / GenerationTime.TotalSeconds : 0;
}
