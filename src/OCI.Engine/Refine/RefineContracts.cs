using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>A candidate edit and where it came from ("model", "roslyn: Add using System.Text").</summary>
/// <param name="ChangeSize">How much the candidate changes (lines touched); the last tie-breaker when ranking.</param>
public sealed record Candidate(string Source, string Description, IReadOnlyList<FileChange> Changes, int ChangeSize = 0);

/// <summary>Checks a candidate for real: the workspace (compile, build, tests) in the editor, a sandboxed program in the benchmark.</summary>
public interface ICandidateVerifier
{
    Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken);
}

/// <summary>
/// What one refine task needs to drive the loop: the prompts, how a model reply becomes a candidate, and how a
/// verification result becomes the next feedback turn. Editor tasks and benchmark problems both implement it,
/// so the benchmark measures the same loop the editor runs.
/// </summary>
public interface IRefineTask
{
    string SystemPrompt { get; }

    string InitialPrompt { get; }

    /// <summary>Null when the reply holds no usable code (the loop then stops cleanly).</summary>
    Candidate? CandidateFromReply(string reply);

    /// <summary>The feedback turn for a verified candidate ("Execution result: …").</summary>
    string FeedbackPrompt(Candidate candidate, VerificationResult result);
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
    long OutputTokens);
