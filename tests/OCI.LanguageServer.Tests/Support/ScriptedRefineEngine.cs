using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine;
using OCI.Engine.Refine;
using OCI.Workspace;

namespace OCI.LanguageServer.Tests.Support;

/// <summary>
/// A test double of the engine for the server's own logic: records what the server forwards (documents, settings)
/// and answers with scripted suggestions and outcomes. <see cref="RunGate"/> lets a test hold a run in flight.
/// </summary>
public sealed class ScriptedRefineEngine : IRefineEngine
{
    public ConcurrentDictionary<string, string> Documents { get; } = new();

    public ConcurrentQueue<string> Closed { get; } = new();

    public ConcurrentQueue<OciSettings> SettingsUpdates { get; } = new();

    public ConcurrentQueue<RefineRequest> Requests { get; } = new();

    public ConcurrentQueue<string> OpenedRoots { get; } = new();

    public IReadOnlyList<ActionSuggestion> Suggestions { get; set; } = [];

    /// <summary>Builds the outcome from the request and the document text the engine holds.</summary>
    public Func<RefineRequest, string?, RefineOutcome> Outcome { get; set; } =
        (_, _) => new RefineOutcome(false, "Nothing to do.", [], 0, RefineStopReason.NoCode);

    public IReadOnlyList<RefineProgress> ProgressSteps { get; set; } = [];

    /// <summary>When set, RunAsync waits for it (cancellably) after reporting progress.</summary>
    public TaskCompletionSource? RunGate { get; set; }

    /// <summary>Completes when RunAsync has reported its progress and is waiting at the gate.</summary>
    public TaskCompletionSource RunStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> RunCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answer cancellation with a Cancelled outcome instead of throwing, as the real engine does.</summary>
    public bool ReportsCancellationAsOutcome { get; set; }

    public string ModelStatus { get; set; } = "scripted model";

    public string? ModelProblem { get; set; }

    public Exception? SettingsFailure { get; set; }

    public Task<WorkspaceLoadReport> OpenWorkspaceAsync(string root, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        OpenedRoots.Enqueue(root);
        progress?.Report("loading projects");
        return Task.FromResult(new WorkspaceLoadReport(root, ["App.csproj"], ["Broken.csproj: the project file could not be loaded"]));
    }

    public void UpdateSettings(OciSettings settings)
    {
        if (SettingsFailure is { } failure)
        {
            throw failure;
        }
        SettingsUpdates.Enqueue(settings);
    }

    public void SetDocument(string path, string text) => Documents[path] = text;

    /// <summary>Every batch of disk changes the server passed on (tests assert on paths and kinds).</summary>
    public ConcurrentQueue<IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange>> DiskChanges { get; } = new();

    public int Reloads;

    public int DiskGeneration => DiskChanges.Count;

    public OCI.Workspace.DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes)
    {
        DiskChanges.Enqueue(changes);
        return new([], [.. changes.Where(c => c.RequiresReload).Select(c => c.Path)]);
    }

    public Task<IReadOnlyList<WorkspaceLoadReport>> ReloadWorkspacesAsync(IReadOnlyList<string> triggers, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reloads);
        progress?.Report("loading projects");
        return Task.FromResult<IReadOnlyList<WorkspaceLoadReport>>([new WorkspaceLoadReport("/reloaded", ["App.csproj"], [])]);
    }

    public ConcurrentQueue<string> ClosedRoots { get; } = new();

    public Task CloseWorkspaceAsync(string root, CancellationToken cancellationToken)
    {
        ClosedRoots.Enqueue(root);
        return Task.CompletedTask;
    }

    public bool CloseDocument(string path)
    {
        Documents.TryRemove(path, out _);
        Closed.Enqueue(path);
        return false;
    }

    public Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(string path, LinePositionSpan range, IReadOnlyList<EditorDiagnostic> diagnostics, CancellationToken cancellationToken) =>
        Task.FromResult(Suggestions);

    public async Task<RefineOutcome> RunAsync(RefineRequest request, IProgress<RefineProgress>? progress, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        foreach (var step in ProgressSteps)
        {
            progress?.Report(step);
        }
        RunStarted.TrySetResult();
        if (RunGate is { } gate)
        {
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                RunCancelled.TrySetResult(true);
                if (ReportsCancellationAsOutcome)
                {
                    return new RefineOutcome(false, "Cancelled. Your code is unchanged.", [], 0, RefineStopReason.Cancelled);
                }
                throw;
            }
        }
        return Outcome(request, Documents.TryGetValue(request.FilePath, out var text) ? text : null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
