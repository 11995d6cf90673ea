using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>
/// The one place a verification result is put into words for the user: round progress, the task's summary, the CLI,
/// the confirmation after a background build, the benchmark's records, a fix-it's title. (What the model reads is the
/// workspace's <c>Feedback/FeedbackRenderer</c>: the "Execution result:" turn, a different text for a different reader.)
/// </summary>
public static class ResultDescription
{
    /// <summary>"compiles, 5 tests pass", "1 error CS0029", "compiles, 3 of 5 tests pass (1 failed: AddTests.Negative)".</summary>
    public static string Of(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Status)
        {
            case VerificationStatus.Passed when result.PendingConfirmation is not null && !result.WholeSuite:
                // Offered after its impacted tests only: say exactly that, and what is still to come.
                return result.Tests.Count == 0
                    ? "compiles; no test reaches the change (the real build and all tests are confirming)"
                    : $"compiles, {Plural(result.PassedTests, "test that reaches", "tests that reach")} the change {(result.PassedTests == 1 ? "passes" : "pass")} on the in-memory build"
                        + (result.FailedTests > 0 ? $"; no worse than before: {KnownFailures(result)}" : "")
                        + " (the real build and all tests are confirming)";
            case VerificationStatus.Passed when result.WholeSuite && result.ReachingTests.Count == 0 && result.ImpactedTests == 0 && result.Tests.Count > 0:
                // Nothing reaches the change: the whole suite is all there is to say, and it is not "the change's tests".
                return $"compiles; no test reaches the change; the whole suite passes{InMemory(result)} ({Plural(result.PassedTests, "test")}"
                    + (result.FailedTests > 0 ? $"; no worse than before: {KnownFailures(result)})" : ")");
            case VerificationStatus.Passed when result.FailedTests > 0:
                // Verified "no worse": the only failing tests failed in the user's last compiling code too.
                return $"compiles, {Plural(result.PassedTests, "test")} pass{InMemory(result)}; no worse than before: {KnownFailures(result)}";
            case VerificationStatus.Passed:
                return result.Tests.Count == 0 ? "compiles (no tests ran)" : $"compiles, {Plural(result.PassedTests, "test")} pass{InMemory(result)}";
            case VerificationStatus.TestsFailed when result.FailedTests == 0:
                // Not verified although no test failed: the candidate adds a stub that tests reach (Fix diagnostic).
                return $"compiles, {Plural(result.PassedTests, "test")} pass, but it {result.Message ?? "is not verified"}";
            case VerificationStatus.TestsFailed:
                var failed = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).Take(3).ToList();
                return $"compiles, {result.PassedTests} of {result.PassedTests + result.FailedTests} tests pass ({result.FailedTests} failed: {string.Join(", ", failed)})";
            case VerificationStatus.CompileErrors or VerificationStatus.BuildSystemError when BuildFailure.IsRealBuildFailure(result):
                return "the real build failed: " + BuildFailure.FirstError(result);
            case VerificationStatus.CompileErrors:
                var errors = result.Diagnostics.Where(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error).ToList();
                var ids = string.Join(", ", errors.Select(e => e.Id).Distinct().Take(3));
                return $"{Plural(errors.Count, "error")} {ids}".TrimEnd();
            case VerificationStatus.BuildSystemError:
                return "build failed: " + (result.Message ?? "see log");
            case VerificationStatus.TimedOut:
                return "timed out" + (result.Message is null ? "" : ": " + result.Message);
            case VerificationStatus.Crashed:
                return "crashed" + (result.Message is null ? "" : ": " + result.Message);
            default:
                return result.Status.ToString();
        }
    }

    /// <summary>
    /// What still fails in an unverified candidate, for the title of the edit offered for confirmation:
    /// "compiles; 7 tests fail: NotImplementedException from the generated ZqAdd", "compiles; 2 tests fail: A, B",
    /// "1 error CS0029".
    /// </summary>
    public static string WhatFails(Candidate candidate, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(result);
        if (candidate.AddsStub && result.Compiles)
        {
            var members = string.Join(", ", candidate.AddedStubs.Select(s => s.Member).Distinct(StringComparer.Ordinal));
            var origin = $"NotImplementedException from the {(candidate.IsRoslynFix ? "generated" : "stub")} {members}";
            var throwing = Verification.StubReached.ThrowingTests(result);
            if (throwing > 0)
            {
                return throwing == result.FailedTests
                    ? $"compiles; {Plural(throwing, "test")} fail: {origin}"
                    : $"compiles; {Plural(result.FailedTests, "test")} fail, {throwing} of them with {origin}";
            }
            return "compiles; " + Verification.StubReached.Describe(candidate, result);
        }
        if (result.Status == VerificationStatus.TestsFailed && result.FailedTests > 0)
        {
            var names = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).ToList();
            return $"compiles; {Plural(names.Count, "test")} fail: {string.Join(", ", names.Take(3))}{(names.Count > 3 ? $" and {names.Count - 3} more" : "")}";
        }
        return Of(result);
    }

    /// <summary>
    /// The short form after a verified fix's title: "builds", "builds, 4/4 tests" once the real build and the tests ran;
    /// "compiles, 12 reaching tests pass · confirming" / "compiles; no test reaches it · confirming" while the real build
    /// and the whole suite are still to come. Never "verified" on zero tests.
    /// </summary>
    public static string Brief(VerificationResult? result)
    {
        if (result is { PendingConfirmation: not null, WholeSuite: false })
        {
            return result.Tests.Count == 0
                ? "compiles; no test reaches it · confirming"
                : $"compiles, {Plural(result.PassedTests, "reaching test")} pass · confirming";
        }
        return result is null || result.Tests.Count == 0 ? "builds" : $"builds, {result.PassedTests}/{result.Tests.Count} tests";
    }

    /// <summary>Says so when the tests ran on the in-memory build and the real build is still to confirm it.</summary>
    private static string InMemory(VerificationResult result) =>
        result.PendingConfirmation is null ? "" : " on the in-memory build (the real build is confirming)";

    /// <summary>"2 tests that already failed still fail: A.B, C.D" (all of them up to 5, then a count).</summary>
    private static string KnownFailures(VerificationResult result)
    {
        var names = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).ToList();
        var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
        var source = result.KnownFailuresSource is { } from ? $" (known from {from.Describe()})" : "";
        // A bounded search may have missed tests that reach the change: an excused failure could be one of them.
        var bounded = result.ReachingTestsBounded
            ? $"; the search for tests that reach the change stopped at its bound after {Plural(result.ReachingTests.Count, "test")}, so one of these may reach it too"
            : "";
        return $"{Plural(names.Count, "test")} that already failed still {(names.Count == 1 ? "fails" : "fail")}: {shown}{source}{bounded}";
    }

    internal static string Plural(int count, string noun, string? plural = null) => $"{count} {(count == 1 ? noun : plural ?? noun + "s")}";
}
