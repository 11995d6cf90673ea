using OCI.Engine.Refine;
using OCI.Engine.Verification;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

public sealed class KnownFailuresVerdictTests
{
    private static readonly TestCaseResult[] Tests =
    [
        new("Lib.Tests.A.Passes", TestOutcome.Passed),
        new("Lib.Tests.A.Passes2", TestOutcome.Passed),
        new("Lib.Tests.A.NeedsWindowsNewlines", TestOutcome.Failed, "Expected \\r\\n"),
    ];

    [Fact]
    public void A_result_whose_only_failures_already_failed_is_verified_no_worse_and_the_summary_names_them()
    {
        var result = new VerificationResult(VerificationStatus.TestsFailed, [], Tests) { KnownFailures = ["Lib.Tests.A.NeedsWindowsNewlines"], WholeSuite = true, ImpactedTests = 1, ReachingTests = ["Lib.Tests.A.Passes"] };

        var verdict = WorkspaceCandidateVerifier.NoWorseThanKnown(result);

        Assert.Equal(VerificationStatus.Passed, verdict.Status);
        Assert.Equal("compiles, 2 tests pass; no worse than before: 1 test that already failed still fails: Lib.Tests.A.NeedsWindowsNewlines", ResultDescription.Of(verdict));
        // When no test reaches the change, the whole suite is all it passed, and the words say so: never "its tests pass".
        Assert.Equal(
            "compiles; no test reaches the change; the whole suite passes (2 tests; no worse than before: 1 test that already failed still fails: Lib.Tests.A.NeedsWindowsNewlines)",
            ResultDescription.Of(verdict with { ImpactedTests = 0, ReachingTests = [] }));
        Assert.True(CandidateRanking.IsImprovementOver(verdict, new VerificationResult(VerificationStatus.CompileErrors, [new CompilerDiagnostic("CS0246", DiagnosticSeverityLevel.Error, "x", null, 1, 1)], [])));
    }

    [Fact]
    public void A_new_failure_beside_known_ones_is_not_verified()
    {
        TestCaseResult[] tests = [.. Tests, new("Lib.Tests.A.BrokenByTheChange", TestOutcome.Failed)];
        var result = new VerificationResult(VerificationStatus.TestsFailed, [], tests) { KnownFailures = ["Lib.Tests.A.NeedsWindowsNewlines"], WholeSuite = true };

        var verdict = WorkspaceCandidateVerifier.NoWorseThanKnown(result);

        Assert.Equal(VerificationStatus.TestsFailed, verdict.Status);
        Assert.StartsWith("compiles, 2 of 4 tests pass (2 failed:", ResultDescription.Of(verdict), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_known_failures_a_failing_test_fails()
    {
        var result = new VerificationResult(VerificationStatus.TestsFailed, [], Tests);
        Assert.Equal(VerificationStatus.TestsFailed, WorkspaceCandidateVerifier.NoWorseThanKnown(result).Status);
    }
}
