namespace OCI.LanguageServer.Protocol;

/// <summary>Command identifiers of schemas/PROTOCOL.md.</summary>
public static class OciCommands
{
    public const string Generate = "oci.generate";
    public const string RunAndRefine = "oci.runAndRefine";
    public const string FixDiagnostic = "oci.fixDiagnostic";
    public const string RefineSelection = "oci.refineSelection";
    public const string Cancel = "oci.cancel";

    public static IReadOnlyList<string> All { get; } = [Generate, RunAndRefine, FixDiagnostic, RefineSelection, Cancel];
}

/// <summary>The single argument of the four refine commands (PROTOCOL.md, command-arguments.schema.json).</summary>
public sealed record RefineCommandArguments
{
    public OptionalVersionedTextDocumentIdentifier? TextDocument { get; init; }
    public Range? Range { get; init; }
    public string? Instruction { get; init; }
    public string? DiagnosticCode { get; init; }
    public string? ConversationId { get; init; }
}

/// <summary>What a refine command answers (PROTOCOL.md).</summary>
public sealed record RefineCommandResult(
    bool Applied,
    bool Verified,
    string Summary,
    int RoundsUsed,
    string StopReason,
    string? ConversationId = null)
{
    /// <summary>
    /// An unverified candidate better than the user's code was offered, not applied by itself: sent for confirmation
    /// (a change annotation with needsConfirmation; <see cref="Applied"/> then says whether the user accepted it), or,
    /// to an editor that cannot confirm, only named in the summary.
    /// </summary>
    public bool Offered { get; init; }

    /// <summary>Exactly what the offered code went through (null when nothing was verified or offered).</summary>
    public VerificationScope? Verification { get; init; }

    /// <summary>Where the command's time went, from the engine's own measurements (milliseconds).</summary>
    public RefineTimings? Timings { get; init; }
}

/// <summary>
/// What was verified, never more: compiled; the impacted tests (those that reference the changed code, run first);
/// the whole suite; the real MSBuild build ("passed", "pending": the tests ran on the in-memory build and
/// <c>oci/verificationConfirmed</c> follows, "notRun").
/// </summary>
public sealed record VerificationScope(
    bool Compiled,
    int ImpactedTests,
    bool WholeSuite,
    int TestsPassed,
    int TestsFailed,
    IReadOnlyList<string> KnownFailures,
    string RealBuild,
    string? KnownFailuresSource = null)
{
    /// <summary>
    /// The tests that reach the changed code (call it, directly or through callers), by name: the tests that judge the
    /// change. Empty when none reaches it; then nothing but the whole suite speaks for the change.
    /// </summary>
    public IReadOnlyList<string> ReachingTests { get; init; } = [];
}

/// <summary>Values of <see cref="VerificationScope.RealBuild"/>.</summary>
public static class RealBuildStates
{
    public const string Passed = "passed";
    public const string Pending = "pending";
    public const string NotRun = "notRun";
}

/// <summary>
/// The phases of a refine command: the whole engine run, and of the offered candidate's check the in-memory compile,
/// the build (in-memory emit and/or MSBuild) and the test runs; other = the rest (the baseline check, Roslyn's fixes,
/// the model, other candidates).
/// </summary>
public sealed record RefineTimings(long EngineMs, long CompileMs, long BuildMs, long TestMs, long OtherMs)
{
    /// <summary>Checking the user's code as it is (part of <see cref="OtherMs"/>; it may run while the model writes); null when it was not checked.</summary>
    public long? BaselineMs { get; init; }

    /// <summary>Each model round that verified a candidate, in order: its verdict and where its time went.</summary>
    public IReadOnlyList<RefineRoundTiming> Rounds { get; init; } = [];
}

/// <summary>
/// One model round of a refine command (<see cref="RefineTimings.Rounds"/>): the verdict on its candidate and where its
/// time went (milliseconds). <paramref name="Round"/> counts from 1, as progress does ("round 1/3");
/// <paramref name="Status"/> is one of <see cref="OciVerificationStatuses"/>. <paramref name="VerifyMs"/> is the whole
/// verification, wall clock; compile, build and tests are parts of it (summed over the candidates of a round with several).
/// </summary>
public sealed record RefineRoundTiming(
    int Round,
    string Status,
    long ModelMs,
    long VerifyMs,
    long CompileMs,
    long BuildMs,
    long TestMs,
    int NewErrors,
    int Passed,
    int Failed);

/// <summary>Values of <see cref="RefineRoundTiming.Status"/>: how far a round's candidate got.</summary>
public static class OciVerificationStatuses
{
    public const string Passed = "passed";
    public const string CompileErrors = "compileErrors";
    public const string BuildSystemError = "buildSystemError";
    public const string TestsFailed = "testsFailed";
    public const string TimedOut = "timedOut";
    public const string Crashed = "crashed";
}

/// <summary>
/// Parameters of the server → client notification <c>oci/verificationConfirmed</c>: the real build and whole-suite run
/// of an edit that was applied on its in-memory build (<see cref="VerificationScope.RealBuild"/> "pending") finished.
/// <paramref name="Superseded"/>: it did not run because a later edit was offered, whose own confirmation checks the
/// newer state (then <paramref name="Confirmed"/> is false and the verification is what the offer said).
/// </summary>
public sealed record VerificationConfirmedParams(string Uri, string Command, bool Confirmed, string Summary, VerificationScope Verification, bool Superseded = false);

/// <summary>Values of <see cref="RefineCommandResult.StopReason"/>.</summary>
public static class OciStopReasons
{
    public const string Verified = "verified";
    public const string RoundLimit = "roundLimit";
    public const string NoCode = "noCode";
    public const string NoModel = "noModel";
    /// <summary>Nothing was attempted: no workspace, a file outside every project, nothing to do at the cursor, or code that already passes.</summary>
    public const string NotRun = "notRun";
    /// <summary>Refine selection applied: it compiles and is no worse than the user's code, whose failing tests still fail.</summary>
    public const string NoWorse = "noWorse";
    public const string Cancelled = "cancelled";
    public const string Stale = "stale";
}

/// <summary>
/// Parameters of the server → client notification <c>oci/status</c>. <paramref name="Sandbox"/>: bubblewrap, none, off
/// or refused (how generated code is contained); <paramref name="SandboxMessage"/>: the same in words.
/// </summary>
public sealed record OciStatusParams(string State, string Backend, string? Model, string Message, string? Sandbox = null, string? SandboxMessage = null);

public static class OciMethods
{
    public const string Status = "oci/status";
    public const string VerificationConfirmed = "oci/verificationConfirmed";

    /// <summary>Server → client: the verified fix-its of one document version (fixits.schema.json).</summary>
    public const string FixIts = "oci/fixIts";

    /// <summary>Client → server request: the warnings and errors of an open document as the server sees them now.</summary>
    public const string DocumentDiagnostics = "oci/documentDiagnostics";

    /// <summary>Client → server: the server's memory after a full collection (MemoryReportTypes).</summary>
    public const string MemoryReport = "oci/memoryReport";
}
