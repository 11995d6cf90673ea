using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>
/// One model round's verdict and where its time went (milliseconds). It travels with the result
/// (<see cref="RefineLoopResult.RoundTimings"/>, <see cref="RefineOutcome.RoundTimings"/>) so that the server's command
/// result and the benchmarks read the figures themselves, never the log line written from them for humans.
/// </summary>
/// <param name="Round">The round, counted from 0 as <see cref="RefineRound.Round"/> is.</param>
/// <param name="Status">How far the round's candidate got (the best one, in a round with several).</param>
/// <param name="NewErrors">Compile errors the candidate added.</param>
/// <param name="ModelMs">The model's reply.</param>
/// <param name="VerifyMs">The round's verification, wall clock: compile, build and tests, and the rest (shadow sync, process start-up).</param>
/// <param name="CompileMs">In-memory compile (summed over the candidates of a round with several).</param>
/// <param name="BuildMs">In-memory emit and/or MSBuild build (summed likewise).</param>
/// <param name="TestMs">Test runs (summed likewise).</param>
public sealed record RoundTiming(
    int Round,
    VerificationStatus Status,
    int NewErrors,
    int Passed,
    int Failed,
    long ModelMs,
    long VerifyMs,
    long CompileMs,
    long BuildMs,
    long TestMs)
{
    /// <summary>
    /// The timing of a round that verified a candidate; null for a round whose reply held no code (nothing was verified,
    /// so there is no verdict to report).
    /// </summary>
    public static RoundTiming? Of(RefineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.Result is not { } result) return null;
        // A round with several candidates verified each of them: its compile, build and test time is all of theirs,
        // as its VerifyTime is.
        IReadOnlyList<VerificationResult> verified = round.Candidates is { } trials
            ? [.. trials.Where(t => t.Result is not null).Select(t => t.Result!)]
            : [result];
        return new RoundTiming(
            round.Round,
            result.Status,
            result.NewErrorCount,
            result.PassedTests,
            result.FailedTests,
            (long)round.ModelTime.TotalMilliseconds,
            (long)round.VerifyTime.TotalMilliseconds,
            verified.Sum(r => (long)r.CompileTime.TotalMilliseconds),
            verified.Sum(r => (long)r.BuildTime.TotalMilliseconds),
            verified.Sum(r => (long)r.TestTime.TotalMilliseconds));
    }
}
