using OCI.Engine.Refine;
using OCI.Workspace.Verification;

namespace OCI.Engine.Verification;

/// <summary>
/// Fix diagnostic's rule that a stub is not a fix: a candidate that adds <c>throw new NotImplementedException()</c> is
/// never counted verified once a test reaches it (a test ran on it, or one failed with NotImplementedException), even
/// when those tests pass or fail only as before. Its result says so (<see cref="StubReached"/>), and the summary with it.
/// Generate keeps the plain verifier: starting from a stub is its job.
/// </summary>
public sealed class StubReachedVerifier(ICandidateVerifier inner) : ICandidateVerifier
{
    public async Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var result = await inner.VerifyAsync(candidate, progress, cancellationToken).ConfigureAwait(false);
        return Judge(candidate, result);
    }

    /// <summary>The result, no longer <see cref="VerificationStatus.Passed"/> when the candidate adds a stub that a test reaches.</summary>
    public static VerificationResult Judge(Candidate candidate, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(result);
        if (!candidate.AddsStub || result.Status != VerificationStatus.Passed || StubReached.TestsReaching(result) == 0) return result;
        return result with { Status = VerificationStatus.TestsFailed, Message = StubReached.Describe(candidate, result) };
    }
}

/// <summary>How many tests reach a candidate's stub, and the words for it.</summary>
public static class StubReached
{
    /// <summary>Tests that failed with NotImplementedException, or else every test that ran on the candidate.</summary>
    public static int TestsReaching(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var throwing = ThrowingTests(result);
        return throwing > 0 ? throwing : Math.Max(result.Tests.Count, result.ImpactedTests);
    }

    /// <summary>Failed tests whose failure is the stub's NotImplementedException.</summary>
    public static int ThrowingTests(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Tests.Count(t => t.Outcome == TestOutcome.Failed
            && ((t.Message?.Contains("NotImplementedException", StringComparison.Ordinal) ?? false)
                || (t.StackTrace?.Contains("NotImplementedException", StringComparison.Ordinal) ?? false)));
    }

    /// <summary>"adds a stub that throws NotImplementedException (ZqAdd), reached by 7 tests".</summary>
    public static string Describe(Candidate candidate, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var members = string.Join(", ", candidate.AddedStubs.Select(s => s.Member).Distinct(StringComparer.Ordinal));
        return $"adds a stub that throws NotImplementedException ({members}), reached by {ResultDescription.Plural(TestsReaching(result), "test")}";
    }
}
