namespace OCI.Workspace;

/// <summary>
/// What the engine asks of the workspace about one candidate: its changes, which stages to run, which tests first and
/// how strictly to count errors. The whole contract between the two layers is this request and the
/// <see cref="Verification.VerificationResult"/> it gets back: the engine never needs the workspace's solution to judge
/// a candidate.
/// </summary>
public sealed record VerificationRequest(
    IReadOnlyList<FileChange> Changes,
    bool Build = true,
    bool RunTests = true,
    string? TestFilter = null)
{
    /// <summary>
    /// The caller accepts the result of an earlier check of exactly the same inputs (every file of the workspace, the
    /// overlays, these changes, the stages and the filter) instead of building and testing again: "the user's code as
    /// it is", checked by each command, is built and tested once until something changes. Only results that are facts
    /// about the code are kept (passed, tests failed, compile errors), never a timeout, a crash or a build-system error.
    /// </summary>
    public bool ReuseUnchanged { get; init; }

    /// <summary>
    /// Go straight to the real build: no in-memory compile first (the shadow copy's warming build, speculative work whose
    /// only product is built outputs; Roslyn's compile of every project would take the cores a user's check needs).
    /// </summary>
    public bool SkipInMemoryCompile { get; init; }

    /// <summary>
    /// Every compiler error in the changed files counts, not only the ones the changes introduce: an editor command
    /// measures the user's code and each candidate by the same rule, so a candidate that keeps an old error in the file
    /// it rewrites does not pass. Checked first, on the candidate's own compilation, before anything is built.
    /// </summary>
    public bool AllErrorsInChangedFiles { get; init; }

    /// <summary>
    /// The diagnostic the changes must make go away (fix-diagnostic), matched by id and message: while the changed
    /// files still report it, the candidate has a compile error, even when the diagnostic is a warning. Implies
    /// <see cref="AllErrorsInChangedFiles"/>.
    /// </summary>
    public Verification.DiagnosticToRemove? TargetDiagnostic { get; init; }

    /// <summary>
    /// The caller can take a result before the real build (an editor: it applies the edit and reports the confirmation
    /// when it arrives; the CLI waits for everything). The candidate is offered once it compiles and its impacted tests
    /// (<see cref="TestFilter"/>: the tests that reference the changed code) pass on the fast round's in-memory build —
    /// at once when no test references it — with <see cref="Verification.VerificationResult.RealBuild"/> and
    /// <see cref="Verification.VerificationResult.WholeSuite"/> false; the MSBuild build with the whole suite on its output
    /// runs afterwards as <see cref="Verification.VerificationResult.PendingConfirmation"/>, in the background (a later
    /// offered candidate's confirmation supersedes it). An earlier complete result of identical inputs (a fix-it verified
    /// the same candidate) is taken instead of checking again.
    /// </summary>
    public bool ConfirmLater { get; init; }

    /// <summary>
    /// Fix diagnostic (and fix-its): a failing test that reaches the change is excused when it fails the same way on the
    /// last state of the user's code that compiled (the saved files, else the committed HEAD) — checked differentially,
    /// just those tests run on that state, when a candidate fails them. Without it (run &amp; refine, refine selection,
    /// generate) a failing test that reaches the change is never excused: those are the tests the user asked to make pass.
    /// Tests that do not reach the change may always be excused by the known outcomes.
    /// </summary>
    public bool ExcuseFailuresThatFailedBefore { get; init; }

    /// <summary>
    /// Failing tests already found to fail the same way on the last state that compiled (set by the workspace after the
    /// differential check of <see cref="ExcuseFailuresThatFailedBefore"/>): not this candidate's fault.
    /// </summary>
    public IReadOnlyList<string> ExcusedFailures { get; init; } = [];

    /// <summary>Where <see cref="ExcusedFailures"/> were found to fail too.</summary>
    public Verification.KnownFailuresSource? ExcusedFailuresSource { get; init; }

    /// <summary>
    /// The search for the tests that reach the change (<see cref="TestFilter"/>) stopped at a bound: more tests may reach
    /// it. The result says so wherever failures are excused as known.
    /// </summary>
    public bool ReachingTestsBounded { get; init; }

    /// <summary>Run exactly the tests of <see cref="TestFilter"/>: not widened by the change's own tests, no whole suite after them (the differential check).</summary>
    public bool OnlyTheFilter { get; init; }
}
