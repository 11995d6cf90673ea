using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine;

/// <summary>The four things a user can ask for.</summary>
public enum RefineKind { Generate, RunAndRefine, FixDiagnostic, RefineSelection }

/// <summary>A diagnostic the editor showed the user (from the codeAction request's context).</summary>
public sealed record EditorDiagnostic(string? Code, LinePositionSpan Range, string Message);

/// <summary>A task for the loop. Positions are UTF-16 line/character, as Roslyn counts them; the server converts.</summary>
/// <param name="AllowModel">
/// False: never ask the model, even when one is configured; only Roslyn's fixes (and their chains) are verified. The
/// entry point for verified fix-its in the background: <c>new RefineRequest(RefineKind.FixDiagnostic, path, range,
/// DiagnosticId: id, AllowModel: false)</c> returns the best verified Roslyn candidate, or none.
/// </param>
public sealed record RefineRequest(
    RefineKind Kind,
    string FilePath,
    LinePositionSpan Range,
    string? Instruction = null,
    string? DiagnosticId = null,
    string? ConversationId = null,
    bool AllowModel = true)
{
    /// <summary>
    /// The caller (an editor) takes a candidate once it passes on its in-memory build (impacted tests, then the whole
    /// suite) and reports the real build's confirmation later (<see cref="RefineOutcome.Result"/>'s
    /// <see cref="VerificationResult.PendingConfirmation"/>, through <see cref="IRefineEngine.WaitForConfirmationAsync"/>).
    /// The CLI leaves it off and waits for the real build.
    /// </summary>
    public bool ConfirmLater { get; init; }

    /// <summary>
    /// Nobody waits for it (a background fix-it): its model requests are decoded after every foreground request's in
    /// each step, so a command is never queued behind it.
    /// </summary>
    public bool Background { get; init; }
}

/// <summary>An action that applies at a range, found without a model call or a build (codeAction must answer fast).</summary>
public sealed record ActionSuggestion(
    RefineKind Kind,
    string Title,
    string FilePath,
    LinePositionSpan Range,
    string? DiagnosticId = null,
    bool IsPreferred = false);

/// <summary>
/// The result of one task: what to offer the user (whole-file texts of the changed files; empty when nothing
/// verified better than the user's code), what was verified, and a message that says what happened.
/// </summary>
public sealed record RefineOutcome(
    bool Verified,
    string Summary,
    IReadOnlyList<FileChange> Changes,
    int RoundsUsed,
    RefineStopReason StopReason,
    string? ConversationId = null,
    VerificationResult? Result = null,
    string? CandidateDescription = null)
{
    /// <summary>
    /// The edit may be applied without asking: it verified (known failures that still fail count, "no worse"), or it is
    /// Refine selection's "no worse" result (the refactoring asked for, whose failing tests failed before it too).
    /// </summary>
    public bool AppliesAtOnce => Changes.Count > 0 && (Verified || StopReason == RefineStopReason.NoWorse);

    /// <summary>
    /// An unverified candidate better than the user's code: offered for the user to confirm (an editor's preview, the
    /// CLI's diff), never applied by itself.
    /// </summary>
    public bool NeedsConfirmation => Changes.Count > 0 && !AppliesAtOnce;

    /// <summary>
    /// What the user is told was verified at the moment of the answer: an edit offered on its in-memory build that no
    /// test reaches passed nothing yet (zero tests prove nothing), so it is applied but not called verified until its
    /// confirmation, the real build and the whole suite, says so (<c>oci/verificationConfirmed</c>).
    /// </summary>
    public bool VerifiedNow => Verified && Result is not { PendingConfirmation: not null, Tests.Count: 0 };

    /// <summary>
    /// For an edit that <see cref="NeedsConfirmation"/>: what still fails, to title the confirmation with
    /// ("compiles; 7 tests fail: NotImplementedException from the generated ZqAdd").
    /// </summary>
    public string? WhatFails { get; init; }

    /// <summary>Where the offered candidate came from (null when nothing is offered).</summary>
    public CandidateOrigin? CandidateOrigin { get; init; }

    /// <summary>
    /// Each model round's verdict and where its time went (<see cref="RefineLoopResult.RoundTimings"/>): the server
    /// reports them in the command result, where the benchmarks read them.
    /// </summary>
    public IReadOnlyList<RoundTiming> RoundTimings { get; init; } = [];

    /// <summary>How long checking the user's code as it is took (milliseconds); null when it was not checked.</summary>
    public long? BaselineMs { get; init; }
}

/// <summary>
/// The engine as the server (and the CLI) sees it. It knows nothing of LSP: paths are file-system paths, positions
/// are Roslyn <see cref="LinePosition"/>s, and every user-facing outcome is plain text.
/// </summary>
public interface IRefineEngine : IAsyncDisposable
{
    /// <summary>
    /// A workspace folder will be opened soon (the editor sent <c>initialize</c>): start, in the background, the work every
    /// first load needs whatever the folder, so that <see cref="OpenWorkspaceAsync"/> finds it done. Never blocks.
    /// </summary>
    void PrepareToOpenWorkspace()
    {
    }

    /// <summary>
    /// Loads the workspace folder at <paramref name="root"/> (again, if it was loaded); other folders stay loaded
    /// (multi-root: a document is served by the folder whose solution holds it). Load problems are reported, never thrown.
    /// </summary>
    Task<WorkspaceLoadReport> OpenWorkspaceAsync(string root, IProgress<string>? progress, CancellationToken cancellationToken);

    void UpdateSettings(OciSettings settings);

    /// <summary>A one-line description of the model state for status bars ("stories260K.gguf · LlamaSharp CPU", "no model configured").</summary>
    string ModelStatus { get; }

    /// <summary>Why the configured model could not be used the last time it was needed (null when it could, or was not tried).</summary>
    string? ModelProblem => null;

    void SetDocument(string path, string text);

    /// <summary>
    /// Files changed on disk outside the editor: source files are taken in now and the caches they affect dropped;
    /// the effect lists the project files that need <see cref="ReloadWorkspaceAsync"/>.
    /// </summary>
    OCI.Workspace.DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes);

    /// <summary>
    /// Loads again the workspace folders that hold <paramref name="triggers"/> (their projects changed); each folder's
    /// current host serves until its new one is ready.
    /// </summary>
    Task<IReadOnlyList<WorkspaceLoadReport>> ReloadWorkspacesAsync(IReadOnlyList<string> triggers, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>A workspace folder was removed: its host is closed; the other folders keep serving.</summary>
    Task CloseWorkspaceAsync(string root, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the disk changes taken in and the workspace hosts replaced or closed: an outcome computed while it moved was
    /// computed against older files (the engine then ends the task <c>Stale</c>, with no changes).
    /// </summary>
    int DiskGeneration { get; }

    /// <summary>
    /// The editor closed the document: the disk's text counts for it again. True when that changed the workspace (the
    /// buffer differed from the disk), so the diagnostics of its project and of the projects that reference it changed too.
    /// </summary>
    bool CloseDocument(string path);

    Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(
        string path,
        LinePositionSpan range,
        IReadOnlyList<EditorDiagnostic> diagnostics,
        CancellationToken cancellationToken);

    /// <summary>
    /// The warnings and errors of an open document in the workspace's current state, as codeAction offers fixes for them
    /// (computed now unless already known); null when the document is in no loaded project.
    /// </summary>
    Task<Suggestions.OpenDocumentDiagnostics?> GetDocumentDiagnosticsAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<Suggestions.OpenDocumentDiagnostics?>(null);

    Task<RefineOutcome> RunAsync(RefineRequest request, IProgress<RefineProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// The real build and whole suite that confirm an outcome offered on its in-memory build (its result's
    /// <see cref="VerificationResult.PendingConfirmation"/>), judged by the rules the offer was. Never faults for a failed
    /// build: that is a result.
    /// </summary>
    /// <exception cref="InvalidOperationException">No outcome of this engine named <paramref name="id"/>.</exception>
    Task<VerificationResult> WaitForConfirmationAsync(ConfirmationId id, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"This engine offers nothing to confirm ({id}).");

    /// <summary>Background fix-its verified before the user asks (null: this engine computes none).</summary>
    Suggestions.IFixItSource? FixIts => null;
}
