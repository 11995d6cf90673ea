using Microsoft.CodeAnalysis;
using OCI.Workspace.Verification;

namespace OCI.Workspace;

/// <summary>What loading the user's workspace found: the projects that loaded and a clear line for each that did not.</summary>
public sealed record WorkspaceLoadReport(
    string Root,
    IReadOnlyList<string> LoadedProjects,
    IReadOnlyList<string> Problems);

/// <summary>Which stages a verification runs, and which tests first.</summary>
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
}

/// <summary>
/// The user's loaded solution, with the editor's unsaved buffers overlaid, and the ways to check a candidate
/// against it: in memory with Roslyn (fast path), then a real build and test run in a warm shadow copy.
/// Never writes to the user's files.
/// </summary>
public interface IWorkspaceHost : IAsyncDisposable
{
    WorkspaceLoadReport LoadReport { get; }

    /// <summary>The current Roslyn solution including overlays.</summary>
    Solution CurrentSolution { get; }

    /// <summary>Overlay an editor buffer (unsaved text) on the loaded solution.</summary>
    void SetOverlay(string path, string text);

    void RemoveOverlay(string path);

    /// <summary>The text the workspace currently has for a file (overlay, else disk), or null if unknown.</summary>
    string? GetText(string path);

    /// <summary>Fast path: fork the solution in memory and report the compiler diagnostics the changes introduce.</summary>
    Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken);

    /// <summary>Full check: compile in memory, then build and test in the shadow copy as requested.</summary>
    Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken);
}
