using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>
/// Orders verified candidates: verified > adds no stub > compiles > fewer new errors > more tests pass > fewer tests
/// fail > smaller change (between two of Roslyn's fixes: Roslyn's own order). A candidate that adds
/// <c>throw new NotImplementedException()</c> ranks below every unverified candidate that does not: a stub is not a fix. The same order ranks model candidates, Roslyn's code fixes and the user's own code, so that the
/// engine never offers something worse than what the user already has.
/// </summary>
public static class CandidateRanking
{
    /// <summary>Negative when <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    public static int Compare(VerificationResult a, int changeSizeA, VerificationResult b, int changeSizeB)
    {
        var byResult = CompareResults(a, b);
        return byResult != 0 ? byResult : changeSizeA.CompareTo(changeSizeB);
    }

    /// <summary>
    /// Negative when <paramref name="a"/> is better. Equal results between two of Roslyn's fixes keep Roslyn's own
    /// order (the one found first wins): it lists "using X;" before spelling the name out in full, which touches fewer
    /// lines, so "smaller change" would pick the qualified name. Otherwise the smaller change wins.
    /// </summary>
    public static int Compare(Candidate a, VerificationResult resultA, Candidate b, VerificationResult resultB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(resultA);
        ArgumentNullException.ThrowIfNull(resultB);
        // Verified first (a stub that verified reaches no test, and the task decides whether that counts), then no stub.
        var byVerdict = (resultA.Status != VerificationStatus.Passed).CompareTo(resultB.Status != VerificationStatus.Passed);
        if (byVerdict != 0) return byVerdict;
        var byStub = a.AddsStub.CompareTo(b.AddsStub);
        if (byStub != 0) return byStub;
        var byResult = CompareResults(resultA, resultB);
        if (byResult != 0) return byResult;
        return a.IsRoslynFix && b.IsRoslynFix ? 0 : a.ChangeSize.CompareTo(b.ChangeSize);
    }

    /// <summary>Compares results only (no change size); negative when <paramref name="a"/> is better.</summary>
    public static int CompareResults(VerificationResult a, VerificationResult b)
    {
        int Key(bool value) => value ? 0 : 1;
        var c = Key(a.Status == VerificationStatus.Passed).CompareTo(Key(b.Status == VerificationStatus.Passed));
        if (c != 0) return c;
        c = Key(a.Compiles).CompareTo(Key(b.Compiles));
        if (c != 0) return c;
        c = a.NewErrorCount.CompareTo(b.NewErrorCount);
        if (c != 0) return c;
        c = b.PassedTests.CompareTo(a.PassedTests);
        if (c != 0) return c;
        c = a.FailedTests.CompareTo(b.FailedTests);
        if (c != 0) return c;
        // A candidate that ran to completion beats one that timed out or crashed.
        return Key(a.Status is not (VerificationStatus.TimedOut or VerificationStatus.Crashed))
            .CompareTo(Key(b.Status is not (VerificationStatus.TimedOut or VerificationStatus.Crashed)));
    }

    /// <summary>True when <paramref name="candidate"/> is strictly better than the user's current code.</summary>
    public static bool IsImprovementOver(VerificationResult candidate, VerificationResult? baseline) =>
        baseline is null ? candidate.Status == VerificationStatus.Passed : CompareResults(candidate, baseline) < 0;
}
