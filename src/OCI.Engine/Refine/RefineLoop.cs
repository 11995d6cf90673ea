using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OCI.Models;
using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>Options of one loop run.</summary>
/// <param name="MaxRounds">Model rounds in total: round 0 is the single-turn candidate, each later one follows feedback.</param>
/// <param name="Baseline">
/// The user's code as it is; the winner must be strictly better than it (a passing baseline: only a verified candidate
/// wins). Null: not checked, only a verified candidate wins.
/// </param>
/// <param name="StopWhenVerified">False keeps asking for rounds after success (the benchmark never needs it; tests might).</param>
/// <param name="AcceptNoWorse">
/// Also accept (and stop at) a compiling candidate that is exactly as good as a non-passing baseline. "Refine selection"
/// carries out the user's instruction: a refactoring that leaves unrelated failing tests as they were is what was asked
/// for, and feeding those failures back would push the model to change code nobody selected.
/// </param>
/// <param name="PendingBaseline">
/// The baseline while it is still being checked (instead of <paramref name="Baseline"/>): the first fix is checked and
/// the model is asked at once, and the loop waits for the baseline only when the first result must be weighed against
/// it, so the check of the user's code runs beside them.
/// </param>
/// <param name="Fixes">Candidates verified before the model is asked (Roslyn's code fixes and their chains); a verified one ends the loop with no model.</param>
/// <param name="FixLimits">Bounds of the search through chained fixes (depth, width, time); null: <see cref="FixSearchLimits.Default"/>.</param>
/// <param name="CandidatesPerRound">
/// Candidates the model writes per round from one prompt (<see cref="CandidateRound"/>); the best is kept and a verified
/// one ends the round early. 1: one reply per round.
/// </param>
/// <param name="VerifyEveryCandidate">Verify all candidates of a round even after one verified (the benchmark measures each).</param>
public sealed record RefineLoopOptions(
    int MaxRounds,
    VerificationResult? Baseline = null,
    bool StopWhenVerified = true,
    bool AcceptNoWorse = false,
    Task<VerificationResult>? PendingBaseline = null,
    IFixSource? Fixes = null,
    FixSearchLimits? FixLimits = null,
    int CandidatesPerRound = 1,
    bool VerifyEveryCandidate = false);

/// <summary>The loop's result: the best candidate (if any beats the baseline), every round, and why it stopped.</summary>
/// <param name="Seeds">Every fix candidate tried before the model (Roslyn's fixes and their chains), with its result.</param>
public sealed record RefineLoopResult(
    Candidate? Best,
    VerificationResult? BestResult,
    IReadOnlyList<RefineRound> Rounds,
    RefineStopReason StopReason,
    IReadOnlyList<(Candidate Candidate, VerificationResult Result)> Seeds)
{
    public bool Verified => BestResult?.Status == VerificationStatus.Passed;

    /// <summary>Rounds in which the model was asked.</summary>
    public int ModelRounds => Rounds.Count;

    /// <summary>
    /// Each round's verdict and where its time went, for the programs that report it (the command result, the
    /// benchmarks); a round whose reply held no code verified nothing and has none.
    /// </summary>
    public IReadOnlyList<RoundTiming> RoundTimings => [.. Rounds.Select(RoundTiming.Of).OfType<RoundTiming>()];
}

/// <summary>
/// The OpenCodeInterpreter loop: candidate → real verification → feedback turn in the same conversation → next
/// candidate, until a candidate verifies, the round limit is reached, the model gives no code, or the user cancels.
/// One run covers every source of candidates: Roslyn's fixes and their chains first (no model), then model rounds,
/// whose first request carries what is known by then (<see cref="FirstRequestFacts"/>). It is shared by the editor's
/// code actions and the benchmark, so the benchmark measures what the editor runs. Cancellation surfaces as
/// <see cref="OperationCanceledException"/>; callers decide what the user sees.
/// </summary>
public sealed class RefineLoop(ILogger logger)
{
    /// <summary>Runs with a conversation that is already open (or none: fixes only).</summary>
    public Task<RefineLoopResult> RunAsync(
        IRefineTask task,
        ChatConversation? conversation,
        ICandidateVerifier verifier,
        RefineLoopOptions options,
        IProgress<RefineProgress>? progress,
        CancellationToken cancellationToken) =>
        RunAsync(task, _ => Task.FromResult(conversation), verifier, options, progress, cancellationToken);

    /// <param name="openConversation">
    /// Called once, only when no fix verified and the model is needed (loading a model takes seconds); null from it
    /// means there is no model: the loop ends with what the fixes achieved.
    /// </param>
    public async Task<RefineLoopResult> RunAsync(
        IRefineTask task,
        Func<CancellationToken, Task<ChatConversation?>> openConversation,
        ICandidateVerifier verifier,
        RefineLoopOptions options,
        IProgress<RefineProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(openConversation);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);

        Candidate? best = null;
        VerificationResult? bestResult = null;
        var checkedBaseline = options.Baseline; // the user's code as checked, for the first request
        var baseline = RankingBaseline(checkedBaseline);
        var pendingBaseline = options.PendingBaseline;
        async Task ResolveBaselineAsync()
        {
            if (pendingBaseline is null) return;
            checkedBaseline = await pendingBaseline.WaitAsync(cancellationToken).ConfigureAwait(false);
            baseline = RankingBaseline(checkedBaseline);
            pendingBaseline = null;
        }
        bool IsNoWorse(VerificationResult result) =>
            options.AcceptNoWorse && baseline is { } known && result.Compiles && CandidateRanking.CompareResults(result, known) <= 0;
        void Consider(Candidate candidate, VerificationResult result)
        {
            if (!CandidateRanking.IsImprovementOver(result, baseline) && !IsNoWorse(result)) return;
            if (bestResult is null || CandidateRanking.Compare(candidate, result, best!, bestResult) < 0)
            {
                best = candidate;
                bestResult = result;
            }
        }

        var maxRounds = Math.Max(1, options.MaxRounds);
        IReadOnlyList<(Candidate, VerificationResult)> seeds = [];
        if (options.Fixes is { } fixes)
        {
            // A baseline still being checked is awaited only to weigh the first fix's result: the two run side by side.
            async Task<VerificationResult?> BaselineAsync()
            {
                await ResolveBaselineAsync().ConfigureAwait(false);
                return checkedBaseline;
            }
            progress?.Report(new RefineProgress(0, maxRounds, "looking for Roslyn's own fixes"));
            var search = new FixSearch(fixes, options.FixLimits ?? FixSearchLimits.Default, verifier, logger);
            IProgress<string>? FixProgress(string description)
            {
                progress?.Report(new RefineProgress(0, maxRounds, $"checking {description}"));
                return Forward(progress, 0, maxRounds);
            }
            var verified = await search.RunAsync(BaselineAsync, Consider, FixProgress, cancellationToken).ConfigureAwait(false);
            await ResolveBaselineAsync().ConfigureAwait(false);
            seeds = search.Tried;
            if (verified && options.StopWhenVerified)
            {
                return new RefineLoopResult(best, bestResult, [], RefineStopReason.Verified, seeds);
            }
        }

        var conversation = await openConversation(cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            await ResolveBaselineAsync().ConfigureAwait(false);
            return new RefineLoopResult(best, bestResult, [], RefineStopReason.NoModel, seeds);
        }

        var rounds = new List<RefineRound>();
        // The first request starts from the real run: the baseline when it is known, and what Roslyn's fixes left.
        var (partialFix, partialResult) = PartialFix(seeds, baseline);
        var prompt = task.InitialPrompt(new FirstRequestFacts(pendingBaseline is null ? checkedBaseline : null, partialFix, partialResult));
        for (var round = 0; round < maxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new RefineProgress(round + 1, maxRounds, round == 0 ? "asking the model" : "asking the model to fix what failed"));

            if (options.CandidatesPerRound > 1)
            {
                var several = await new CandidateRound(logger).RunAsync(task, conversation, prompt, options.CandidatesPerRound, partialFix, verifier,
                    r => options.StopWhenVerified && !options.VerifyEveryCandidate && (r.Status == VerificationStatus.Passed || IsNoWorse(r)),
                    Forward(progress, round + 1, maxRounds), cancellationToken).ConfigureAwait(false);
                var (kept, chosen, chosenResult) = (several.Turn, several.Candidate, several.Result);
                rounds.Add(new RefineRound(round, prompt, kept.Text, chosen, chosenResult, kept.Elapsed, several.VerifyTime, kept.InputTokens, kept.OutputTokens)
                {
                    Candidates = several.Trials,
                });
                if (chosen is null || chosenResult is null)
                {
                    await ResolveBaselineAsync().ConfigureAwait(false);
                    return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.NoCode, seeds);
                }
                await ResolveBaselineAsync().ConfigureAwait(false);
                foreach (var trial in several.Trials.Where(t => t.Candidate is not null)) Consider(trial.Candidate!, trial.Result!);
                if (chosenResult.Status == VerificationStatus.Passed && options.StopWhenVerified) return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.Verified, seeds);
                if (IsNoWorse(chosenResult) && options.StopWhenVerified) return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.NoWorse, seeds);
                prompt = task.FeedbackPrompt(chosen, chosenResult); // the next round's feedback is about the best candidate
                continue;
            }

            var turn = await conversation.SendAsync(prompt, null, cancellationToken).ConfigureAwait(false);
            var candidate = task.CandidateFromReply(turn.Text, partialFix);
            if (candidate is null)
            {
                logger.LogInformation("Round {Round}: the model's reply held no code", round);
                rounds.Add(new RefineRound(round, prompt, turn.Text, null, null, turn.Elapsed, TimeSpan.Zero, turn.InputTokens, turn.OutputTokens));
                await ResolveBaselineAsync().ConfigureAwait(false);
                return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.NoCode, seeds);
            }

            var verifyWatch = Stopwatch.StartNew();
            var result = await verifier.VerifyAsync(candidate, Forward(progress, round + 1, maxRounds), cancellationToken).ConfigureAwait(false);
            verifyWatch.Stop();
            rounds.Add(new RefineRound(round, prompt, turn.Text, candidate, result, turn.Elapsed, verifyWatch.Elapsed, turn.InputTokens, turn.OutputTokens));
            progress?.Report(new RefineProgress(round + 1, maxRounds, ResultDescription.Of(result)));
            // One line per round with where the time went, for people reading the log; programs read RoundTimings.
            var timing = RoundTiming.Of(rounds[^1])!;
            logger.LogInformation("Round {Round}: {Status} ({Errors} new errors, {Passed} passed, {Failed} failed); model {ModelMs} ms, verify {VerifyMs} ms (compile {CompileMs} ms, build {BuildMs} ms, tests {TestMs} ms)",
                timing.Round, timing.Status, timing.NewErrors, timing.Passed, timing.Failed, timing.ModelMs, timing.VerifyMs, timing.CompileMs, timing.BuildMs, timing.TestMs);
            await ResolveBaselineAsync().ConfigureAwait(false);
            Consider(candidate, result);

            if (result.Status == VerificationStatus.Passed && options.StopWhenVerified)
            {
                return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.Verified, seeds);
            }
            if (IsNoWorse(result) && options.StopWhenVerified)
            {
                return new RefineLoopResult(best, bestResult, rounds, RefineStopReason.NoWorse, seeds);
            }
            prompt = task.FeedbackPrompt(candidate, result);
        }

        var reason = bestResult?.Status == VerificationStatus.Passed ? RefineStopReason.Verified : RefineStopReason.RoundLimit;
        return new RefineLoopResult(best, bestResult, rounds, reason, seeds);
    }

    /// <summary>
    /// The fix the model continues from: the best of Roslyn's fixes and chains that still has compile errors and is no
    /// worse than the user's code (removing the diagnostic can reveal an error it hid, so "as many errors, other ones"
    /// is progress here). A fix that compiles but fails tests (a generated field for a typo) is an answer, not a step:
    /// the model starts from the user's code then. None when the user's code passes.
    /// </summary>
    private static (Candidate? Fix, VerificationResult? Result) PartialFix(IReadOnlyList<(Candidate Candidate, VerificationResult Result)> tried, VerificationResult? baseline)
    {
        if (baseline is null) return (null, null);
        (Candidate? Fix, VerificationResult? Result) partial = (null, null);
        foreach (var (candidate, result) in tried)
        {
            if (result.Status != VerificationStatus.CompileErrors || CandidateRanking.CompareResults(result, baseline) > 0) continue;
            if (partial.Fix is null || CandidateRanking.Compare(candidate, result, partial.Fix, partial.Result!) < 0) partial = (candidate, result);
        }
        return partial;
    }

    /// <summary>"Never worse than the user's code": a passing baseline may only be replaced by a verified candidate.</summary>
    private static VerificationResult? RankingBaseline(VerificationResult? baseline) =>
        baseline?.Status == VerificationStatus.Passed ? null : baseline;

    private static IProgress<string>? Forward(IProgress<RefineProgress>? progress, int round, int maxRounds) =>
        progress is null ? null : new SynchronousProgress<string>(line => progress.Report(new RefineProgress(round, maxRounds, line)));
}
