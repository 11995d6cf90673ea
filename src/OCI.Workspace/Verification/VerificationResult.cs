namespace OCI.Workspace.Verification;

/// <summary>How far a candidate got. Ordered: a later value is never "better" by accident; ranking lives in the engine.</summary>
public enum VerificationStatus
{
    /// <summary>
    /// Compiled with no new errors and every test that ran passed (or there were no tests to run). The engine also
    /// gives it to a result whose only failing tests are <see cref="VerificationResult.KnownFailures"/> ("no worse").
    /// </summary>
    Passed,
    /// <summary>Roslyn or the build reported new compiler errors.</summary>
    CompileErrors,
    /// <summary>The build failed for a reason that is not a compiler error of the candidate (MSBuild error, restore).</summary>
    BuildSystemError,
    /// <summary>It built, and at least one test failed.</summary>
    TestsFailed,
    /// <summary>A build or test run exceeded its timeout and its process tree was killed.</summary>
    TimedOut,
    /// <summary>The test host or program crashed (non-zero exit without a test result).</summary>
    Crashed,
}

public enum DiagnosticSeverityLevel { Hidden, Info, Warning, Error }

/// <summary>A compiler/build diagnostic mapped back to the user's file (1-based line and column, as compilers print them).</summary>
public sealed record CompilerDiagnostic(
    string Id,
    DiagnosticSeverityLevel Severity,
    string Message,
    string? Path,
    int Line,
    int Column,
    string? SourceLine = null,
    bool IsNew = true);

public enum TestOutcome { Passed, Failed, Skipped, NotRun }

/// <summary>One test's result, with its failure mapped to a file and line where the stack trace allows.</summary>
public sealed record TestCaseResult(
    string Name,
    TestOutcome Outcome,
    string? Message = null,
    string? StackTrace = null,
    string? Path = null,
    int? Line = null,
    string? Output = null,
    TimeSpan Duration = default);

/// <summary>
/// Everything a refine round learns about one candidate: the single structured result that the feedback renderer
/// turns into the text the model reads, and that the engine ranks candidates by.
/// </summary>
public sealed record VerificationResult(
    VerificationStatus Status,
    IReadOnlyList<CompilerDiagnostic> Diagnostics,
    IReadOnlyList<TestCaseResult> Tests,
    string? Message = null,
    string? Output = null,
    TimeSpan CompileTime = default,
    TimeSpan BuildTime = default,
    TimeSpan TestTime = default)
{
    /// <summary>
    /// Failing tests that also failed in the last state of the user's workspace that compiled (measured in the
    /// background after load, or from the committed HEAD): not this change's fault. Never includes a test the request
    /// targeted (its filter's tests).
    /// </summary>
    public IReadOnlyList<string> KnownFailures { get; init; } = [];

    /// <summary>Where the outcomes behind <see cref="KnownFailures"/> were measured; null when there are none.</summary>
    public KnownFailuresSource? KnownFailuresSource { get; init; }

    /// <summary>
    /// The names of the tests that reach the changed code (the request's filter widened by the change's own members),
    /// as they ran first; empty when none reaches it (then only the whole suite judges it).
    /// </summary>
    public IReadOnlyList<string> ReachingTests { get; init; } = [];

    /// <summary>
    /// The search for <see cref="ReachingTests"/> stopped at a bound (<see cref="Testing.ReachingTests"/>): more tests may
    /// reach the change, and a failure excused as known may be one of them.
    /// </summary>
    public bool ReachingTestsBounded { get; init; }

    /// <summary>Every test of the test projects that cover the change ran (not only the filter's).</summary>
    public bool WholeSuite { get; init; }

    /// <summary>How many tests the request's filter selected (the tests that reference the changed code); they ran first.</summary>
    public int ImpactedTests { get; init; }

    /// <summary>The test runs this check made, in order (none when it stopped before the tests or was reused).</summary>
    public IReadOnlyList<TestRunRecord> TestRuns { get; init; } = [];

    /// <summary>The result of an earlier check of identical inputs, reused: nothing was compiled, built or run for it.</summary>
    public bool Reused { get; init; }

    /// <summary>MSBuild built it (false: compiled and, if tests ran, built in memory from Roslyn's compilations only).</summary>
    public bool RealBuild { get; init; }

    /// <summary>
    /// The real build and whole-suite run still to come for a result offered on its in-memory build
    /// (<see cref="VerificationRequest.ConfirmLater"/>); null when nothing is pending. Its result is asked of the host that
    /// checked this one (<see cref="IWorkspaceHost.FindConfirmation"/>): a result is data, it carries no running work.
    /// </summary>
    public ConfirmationId? PendingConfirmation { get; init; }

    /// <summary>
    /// A confirmation that did not run because a later offered candidate's confirmation checks the newer state (which
    /// holds this edit once it was applied): nothing more was verified than the offer said.
    /// </summary>
    public bool Superseded { get; init; }

    /// <summary>Tests failed, and every one of them is a <see cref="KnownFailures">known failure</see>.</summary>
    public bool OnlyKnownFailuresFail =>
        Status == VerificationStatus.TestsFailed && FailedTests > 0
        && Tests.Where(t => t.Outcome == TestOutcome.Failed).All(t => KnownFailures.Contains(t.Name, StringComparer.Ordinal));

    public int NewErrorCount => Diagnostics.Count(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error);
    public int PassedTests => Tests.Count(t => t.Outcome == TestOutcome.Passed);
    public int FailedTests => Tests.Count(t => t.Outcome == TestOutcome.Failed);
    public bool Compiles => Status is not (VerificationStatus.CompileErrors or VerificationStatus.BuildSystemError);
}
