namespace OCI.Workspace.Verification;

/// <summary>How far a candidate got. Ordered: a later value is never "better" by accident; ranking lives in the engine.</summary>
public enum VerificationStatus
{
    /// <summary>Compiled with no new errors and every test that ran passed (or there were no tests to run).</summary>
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
    public int NewErrorCount => Diagnostics.Count(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error);
    public int PassedTests => Tests.Count(t => t.Outcome == TestOutcome.Passed);
    public int FailedTests => Tests.Count(t => t.Outcome == TestOutcome.Failed);
    public bool Compiles => Status is not (VerificationStatus.CompileErrors or VerificationStatus.BuildSystemError);
}
