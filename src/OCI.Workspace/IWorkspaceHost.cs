using Microsoft.CodeAnalysis;
using OCI.Workspace.Verification;

namespace OCI.Workspace;

/// <summary>
/// The user's loaded solution, with the editor's unsaved buffers overlaid, and the ways to check a candidate
/// against it: in memory with Roslyn (fast path), then a real build and test run in a warm shadow copy.
/// Never writes to the user's files.
/// </summary>
public interface IWorkspaceHost : IAsyncDisposable
{
    WorkspaceLoadReport LoadReport { get; }

    /// <summary>
    /// The current Roslyn solution including overlays: for reading the user's code (finding a document, listing
    /// actions, Roslyn's code fixes). Candidates are judged through <see cref="VerifyAsync"/> alone.
    /// </summary>
    Solution CurrentSolution { get; }

    /// <summary>
    /// Starts the host's own background work (warming every project's compilation, measuring the tests that already
    /// fail) if it was held back at open, so that the editor's first needs (the open documents' diagnostics) are served
    /// first on a machine with few cores. Idempotent.
    /// </summary>
    void StartBackgroundWork()
    {
    }

    /// <summary>
    /// Holds the host's speculative work (the whole-suite run of the known outcomes, the warming build) back until
    /// disposed, interrupting it if it runs: a request someone waits for holds it from its start, since its search and
    /// compile need the machine's few cores before its first check takes the shadow copy. Never by a request that waits
    /// for the known outcomes (their measurement is speculative work).
    /// </summary>
    IDisposable HoldSpeculativeWork() => NothingHeld.Instance;

    /// <summary>
    /// Readies what the first check's test round needs (the shadow copy written and seeded, the warm test hosts
    /// started) while the request that will check is still searching and compiling. Best effort, never throws for a
    /// failure of its own: the check does whatever is left. Nothing by default.
    /// </summary>
    Task PrepareChecksAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Overlay an editor buffer (unsaved text) on the loaded solution.</summary>
    void SetOverlay(string path, string text);

    void RemoveOverlay(string path);

    /// <summary>
    /// Files changed on disk outside the editor: source files are taken in at once (open files keep the editor's text);
    /// project, solution and MSBuild files are returned as <see cref="DiskChanges.DiskChangeEffect.ReloadTriggers"/>.
    /// </summary>
    DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<DiskChanges.DiskChange> changes);

    /// <summary>The text the workspace currently has for a file (overlay, else disk), or null if unknown.</summary>
    string? GetText(string path);

    /// <summary>Fast path: fork the solution in memory and report the compiler diagnostics the changes introduce.</summary>
    Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// The check of a candidate: compile in memory (once: the same compilation is emitted for a fast test round), then
    /// build and test in the shadow copy as requested.
    /// </summary>
    Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// The real build and whole suite that confirm a result offered on its in-memory build
    /// (<see cref="VerificationResult.PendingConfirmation"/>); null when this host did not start it. Never faults: a
    /// failure, or the host's disposal, is a result.
    /// </summary>
    Task<VerificationResult>? FindConfirmation(ConfirmationId id) => null;
}

/// <summary>What a host with no speculative work holds.</summary>
internal sealed class NothingHeld : IDisposable
{
    public static NothingHeld Instance { get; } = new();

    public void Dispose()
    {
    }
}
