using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>Where a candidate edit came from.</summary>
public enum CandidateOrigin
{
    /// <summary>The user's code as it is (the baseline every task checks first).</summary>
    Baseline,

    /// <summary>The model's reply.</summary>
    Model,

    /// <summary>One of Roslyn's code fixes, or a chain of them.</summary>
    Roslyn,
}

/// <summary>A candidate edit and where it came from.</summary>
/// <param name="ChangeSize">How much the candidate changes (lines touched); the last tie-breaker when ranking.</param>
public sealed record Candidate(CandidateOrigin Origin, string Description, IReadOnlyList<FileChange> Changes, int ChangeSize = 0)
{
    public bool IsRoslynFix => Origin == CandidateOrigin.Roslyn;

    /// <summary>
    /// Members the candidate turns into stubs (<c>throw new NotImplementedException()</c> that the code as it is did not
    /// have: Roslyn's "Generate method", a model that gave up), set by whoever made the candidate (<see cref="Editing.StubAddition"/>).
    /// </summary>
    public IReadOnlyList<Editing.AddedStub> AddedStubs { get; init; } = [];

    /// <summary>A stub is not a fix: it ranks below every candidate that adds none (<see cref="CandidateRanking"/>).</summary>
    public bool AddsStub => AddedStubs.Count > 0;
}

/// <summary>Checks a candidate for real: the workspace (compile, build, tests) in the editor, a sandboxed program in the benchmark.</summary>
public interface ICandidateVerifier
{
    Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken);
}

/// <summary>
/// What is known when the model is asked for the first time, so that the first request starts from the real run:
/// the user's code as checked (null while it is still being checked), and the best of Roslyn's fixes when they got
/// only part of the way (with what it left).
/// </summary>
public sealed record FirstRequestFacts(VerificationResult? Baseline, Candidate? PartialFix = null, VerificationResult? PartialFixResult = null)
{
    public static FirstRequestFacts None { get; } = new((VerificationResult?)null);
}

/// <summary>
/// What one refine task needs to drive the loop: the prompts, how a model reply becomes a candidate, and how a
/// verification result becomes the next feedback turn. Editor tasks and benchmark problems both implement it,
/// so the benchmark measures the same loop the editor runs.
/// </summary>
public interface IRefineTask
{
    string SystemPrompt { get; }

    /// <summary>The first request to the model, written with what is known by then.</summary>
    string InitialPrompt(FirstRequestFacts facts);

    /// <summary>Null when the reply holds no usable code (the loop then stops cleanly).</summary>
    Candidate? CandidateFromReply(string reply);

    /// <summary>
    /// The candidate for a reply given when Roslyn's fixes got part of the way (<paramref name="startingPoint"/>, which
    /// the first request described): the reply's change on top of that fix where they do not overlap.
    /// </summary>
    Candidate? CandidateFromReply(string reply, Candidate? startingPoint) => CandidateFromReply(reply);

    /// <summary>The feedback turn for a verified candidate ("Execution result: …").</summary>
    string FeedbackPrompt(Candidate candidate, VerificationResult result);
}

/// <summary>
/// Candidates that need no model (Roslyn's code fixes): the first ones, in Roslyn's order, and the follow-ups of a
/// candidate that left compile errors in the files it changed (fixes for those errors, on top of it).
/// </summary>
public interface IFixSource
{
    /// <summary>
    /// Fixes known before <see cref="FirstAsync"/>'s (the compilation's own answer for a name that does not bind), tried
    /// while those are still being computed; each is also among <see cref="FirstAsync"/>'s, where only generated
    /// declarations of the unbound name come before it. Empty by default.
    /// </summary>
    Task<IReadOnlyList<Candidate>> QuickAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Candidate>>([]);

    Task<IReadOnlyList<Candidate>> FirstAsync(CancellationToken cancellationToken);

    /// <summary>Starts computing what <see cref="FirstAsync"/> returns now, while the caller checks the baseline.</summary>
    void Prefetch(CancellationToken cancellationToken)
    {
    }

    Task<IReadOnlyList<Candidate>> FollowUpsAsync(Candidate candidate, CancellationToken cancellationToken);
}

/// <summary>How far the search through chained fixes may go: fixes applied one after another, fixes tried per step, and time.</summary>
public sealed record FixSearchLimits(int MaxDepth = 3, int MaxWidth = 3, TimeSpan TimeBudget = default)
{
    public static FixSearchLimits Default { get; } = new(3, 3, TimeSpan.FromSeconds(20));
}

/// <summary>Progress of a running loop, for work-done progress in the editor and the CLI.</summary>
public sealed record RefineProgress(int Round, int MaxRounds, string Message);

public enum RefineStopReason
{
    Verified,
    RoundLimit,
    NoCode,
    NoModel,
    Cancelled,
    /// <summary>The loop did not run: no workspace, a file outside every loaded project, nothing to do at the cursor, or the code already passes. The summary says which.</summary>
    NotRun,
    /// <summary>Refine selection: the candidate compiles and is exactly as good as the user's (not passing) code.</summary>
    NoWorse,
    /// <summary>
    /// Files changed on disk or the workspace was reloaded while the task ran: what it computed is about files that are
    /// gone, so it offers no edit (or its checks failed because the host it used was closed by the reload).
    /// </summary>
    Stale,
}

/// <summary>One round's trace: prompt, reply, candidate, result and where the time went.</summary>
public sealed record RefineRound(
    int Round,
    string Prompt,
    string Reply,
    Candidate? Candidate,
    VerificationResult? Result,
    TimeSpan ModelTime,
    TimeSpan VerifyTime,
    long InputTokens,
    long OutputTokens)
{
    /// <summary>Every candidate of a round with several (<see cref="RefineLoopOptions.CandidatesPerRound"/>), by index; null with one.</summary>
    public IReadOnlyList<CandidateTrial>? Candidates { get; init; }
}
