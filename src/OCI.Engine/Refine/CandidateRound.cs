using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OCI.Models;
using OCI.Models.Candidates;
using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>One candidate of a round with several: the reply, what it became and how it verified (null: no code).</summary>
public sealed record CandidateTrial(int Index, string Reply, Candidate? Candidate, VerificationResult? Result, long OutputTokens, TimeSpan VerifyTime);

/// <summary>What a round with several candidates chose: the turn kept in the conversation and its candidate.</summary>
internal sealed record CandidateRoundResult(ChatTurn Turn, Candidate? Candidate, VerificationResult? Result, TimeSpan VerifyTime, IReadOnlyList<CandidateTrial> Trials);

/// <summary>
/// One round that asks for several candidates to one prompt (<c>oci.refine.candidatesPerRound</c>; the backend evaluates
/// the prompt once and writes them together) and verifies each as soon as it is complete, while the others are still
/// being written. The best by <see cref="CandidateRanking"/> is kept in the conversation, so the next round's feedback is
/// about it; a candidate for which <c>endsRound</c> holds (verified) ends the round at once and the rest are cancelled.
/// </summary>
internal sealed class CandidateRound(ILogger logger)
{
    public async Task<CandidateRoundResult> RunAsync(
        IRefineTask task,
        ChatConversation conversation,
        string prompt,
        int count,
        Candidate? startingPoint,
        ICandidateVerifier verifier,
        Func<VerificationResult, bool> endsRound,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var trials = new List<CandidateTrial>();
        CandidateReply? firstReply = null, bestReply = null;
        CandidateTrial? best = null;
        await foreach (var reply in conversation.AskCandidatesAsync(prompt, count, cancellationToken).ConfigureAwait(false))
        {
            firstReply ??= reply;
            var label = $"candidate {reply.Index + 1}/{count}";
            var candidate = task.CandidateFromReply(reply.Text, startingPoint);
            if (candidate is null)
            {
                trials.Add(new CandidateTrial(reply.Index, reply.Text, null, null, reply.OutputTokens, TimeSpan.Zero));
                progress?.Report($"{label}: no code");
                continue;
            }
            var watch = Stopwatch.StartNew();
            var lines = progress is null ? null : new SynchronousProgress<string>(line => progress.Report($"{label}: {line}"));
            var result = await verifier.VerifyAsync(candidate, lines, cancellationToken).ConfigureAwait(false);
            var trial = new CandidateTrial(reply.Index, reply.Text, candidate, result, reply.OutputTokens, watch.Elapsed);
            trials.Add(trial);
            var verdict = result.Status == VerificationStatus.Passed ? $"{label} verified" : $"{label}: {ResultDescription.Of(result)}";
            progress?.Report(verdict); // "candidate 3/4 verified", shown as "round 1/3: candidate 3/4 verified"
            logger.LogInformation("Candidate {Index}/{Count}: {Status} ({Errors} new errors, {Passed} passed, {Failed} failed)",
                reply.Index + 1, count, result.Status, result.NewErrorCount, result.PassedTests, result.FailedTests);
            if (best is null || CandidateRanking.Compare(candidate, result, best.Candidate!, best.Result!) < 0)
            {
                best = trial;
                bestReply = reply;
            }
            if (endsRound(result)) break; // leaving the enumeration cancels the candidates still being written
        }
        // No candidate held code: the conversation keeps the greedy reply (or the first that came).
        var kept = bestReply ?? firstReply ?? throw new InvalidOperationException("The model returned no candidates.");
        var turn = conversation.Keep(prompt, kept);
        return new CandidateRoundResult(turn, best?.Candidate, best?.Result, TimeSpan.FromTicks(trials.Sum(t => t.VerifyTime.Ticks)),
            [.. trials.OrderBy(t => t.Index)]);
    }
}
