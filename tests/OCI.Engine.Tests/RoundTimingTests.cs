using OCI.Engine.Refine;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary><see cref="RoundTiming.Of"/>: a round's verdict and where its time went, from the round's own trace.</summary>
public sealed class RoundTimingTests
{
    private static readonly CompilerDiagnostic NewError = new("CS0103", DiagnosticSeverityLevel.Error, "The name 'Heigth' does not exist", "F.cs", 3, 5);

    private static readonly TestCaseResult PassingTest = new("T.Passes", TestOutcome.Passed);

    private static readonly TestCaseResult FailingTest = new("T.Fails", TestOutcome.Failed);

    private static RefineRound Round(int index, VerificationResult? result, TimeSpan model, TimeSpan verify) =>
        new(index, "prompt", "reply", result is null ? null : new Candidate(CandidateOrigin.Model, "c", []), result, model, verify, 10, 20);

    [Fact]
    public void A_round_with_one_candidate_reports_its_verdict_and_its_times_in_milliseconds()
    {
        var result = new VerificationResult(VerificationStatus.TestsFailed, [], [PassingTest, PassingTest, FailingTest],
            CompileTime: TimeSpan.FromMilliseconds(12.9), BuildTime: TimeSpan.FromMilliseconds(340), TestTime: TimeSpan.FromMilliseconds(1500));

        var timing = RoundTiming.Of(Round(2, result, TimeSpan.FromMilliseconds(75.5), TimeSpan.FromMilliseconds(1900)));

        Assert.Equal(new RoundTiming(2, VerificationStatus.TestsFailed, 0, 2, 1, 75, 1900, 12, 340, 1500), timing);
    }

    [Fact]
    public void A_round_whose_reply_held_no_code_has_no_timing()
    {
        Assert.Null(RoundTiming.Of(Round(0, null, TimeSpan.FromMilliseconds(40), TimeSpan.Zero)));
    }

    [Fact]
    public void A_round_with_several_candidates_has_the_best_ones_verdict_and_all_of_their_verification_time()
    {
        var best = new VerificationResult(VerificationStatus.Passed, [], [PassingTest], CompileTime: TimeSpan.FromMilliseconds(10), TestTime: TimeSpan.FromMilliseconds(300));
        var other = new VerificationResult(VerificationStatus.CompileErrors, [NewError], [], CompileTime: TimeSpan.FromMilliseconds(7));
        var round = Round(1, best, TimeSpan.FromMilliseconds(90), TimeSpan.FromMilliseconds(320)) with
        {
            Candidates =
            [
                new CandidateTrial(0, "wrong", new Candidate(CandidateOrigin.Model, "wrong", []), other, 5, TimeSpan.FromMilliseconds(8)),
                new CandidateTrial(1, "no code", null, null, 5, TimeSpan.Zero),
                new CandidateTrial(2, "right", new Candidate(CandidateOrigin.Model, "right", []), best, 5, TimeSpan.FromMilliseconds(312)),
            ],
        };

        var timing = RoundTiming.Of(round);

        Assert.Equal(new RoundTiming(1, VerificationStatus.Passed, 0, 1, 0, 90, 320, 17, 0, 300), timing);
    }

    [Fact]
    public void The_loop_result_times_every_round_that_verified_a_candidate_in_order()
    {
        var compileError = new VerificationResult(VerificationStatus.CompileErrors, [NewError], []);
        var passed = new VerificationResult(VerificationStatus.Passed, [], [PassingTest]);
        var loop = new RefineLoopResult(null, passed,
            [Round(0, compileError, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(9)), Round(1, null, TimeSpan.FromMilliseconds(6), TimeSpan.Zero), Round(2, passed, TimeSpan.FromMilliseconds(7), TimeSpan.FromMilliseconds(11))],
            RefineStopReason.Verified, []);

        Assert.Equal([(0, VerificationStatus.CompileErrors, 1), (2, VerificationStatus.Passed, 0)], loop.RoundTimings.Select(t => (t.Round, t.Status, t.NewErrors)));
    }
}
