using Microsoft.Extensions.AI;

namespace OCI.Models.Candidates;

/// <summary>One finished candidate reply: its index (0 is the greedy one), its text, and what it cost.</summary>
/// <param name="InputTokens">The prompt's tokens (the same for every candidate of one request).</param>
/// <param name="EvaluatedPromptTokens">Prompt tokens this request evaluated (shared by all candidates; LLamaSharp; null elsewhere).</param>
public sealed record CandidateReply(
    int Index,
    string Text,
    long InputTokens,
    long OutputTokens,
    TimeSpan Elapsed,
    ChatFinishReason? FinishReason,
    long? ReusedPromptTokens = null,
    long? EvaluatedPromptTokens = null);

/// <summary>
/// A chat client that writes several candidate replies to one prompt together (LLamaSharp: the prompt is evaluated
/// once and the candidates are forked sequences decoded in one batch; an OpenAI-compatible server: <c>n</c> choices).
/// Candidates are yielded as each completes; the caller may stop enumerating (or cancel) to end the rest.
/// <see cref="CandidateSampling"/> says how each candidate samples, so runs repeat.
/// </summary>
public interface ICandidateChatClient
{
    IAsyncEnumerable<CandidateReply> GetCandidatesAsync(
        IReadOnlyList<ChatMessage> messages,
        int count,
        ChatOptions? options,
        CancellationToken cancellationToken);
}
