using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Engine.Conversations;
using OCI.Engine.Refine;
using OCI.Engine.Suggestions;
using OCI.Engine.Workspaces;
using OCI.Engine.Tasks;
using OCI.Engine.Trajectory;
using OCI.Engine.Verification;
using OCI.Models;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine;

/// <summary>Opens the user's workspace: the verification layer's loader (MSBuildWorkspace) in production, an in-memory workspace in tests.</summary>
public delegate Task<IWorkspaceHost> WorkspaceHostFactory(string root, VerificationSettings settings, IProgress<string>? progress, CancellationToken cancellationToken);

/// <summary>
/// The engine behind the server and the CLI: holds the workspace and the model, lists the actions that apply at a
/// range (fast, no model, no build), and runs a task through the refine loop — the user's code checked, the task's
/// fixes (Roslyn's, chained) and then model rounds with feedback, by the rules the task states — into one outcome that
/// never offers code worse than the user's. Thread-safe: tasks may run while the editor keeps sending documents.
/// Its parts are services of their own: the open folders and their disk generations (<see cref="OpenWorkspaces"/>), the
/// editor's documents and what is read from them (<see cref="EditorDocuments"/>), the model (<see cref="ModelClient"/>),
/// background fix-its (<see cref="FixItSource"/>) and the confirmations of offered edits (<see cref="OfferedConfirmations"/>).
/// </summary>
public sealed class RefineEngine : IRefineEngine
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConversationStore _conversations = new();
    private readonly WorkspaceHosts _hosts = new();
    private readonly OpenWorkspaces _workspaces;
    private readonly EditorDocuments _documents;
    private readonly ModelClient _model;
    private readonly OfferedConfirmations _confirmations = new();
    private readonly FixItSource _fixIts;
    private readonly CodeFixWarmup _codeFixes;
    private volatile OciSettings _settings = new();
    private Action? _prepareWorkspaceLoad;

    public RefineEngine(ILoggerFactory loggerFactory, WorkspaceHostFactory workspaceHostFactory, Func<ModelSettings, IChatClient?>? chatClientFactory = null)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        ArgumentNullException.ThrowIfNull(workspaceHostFactory);
        _logger = loggerFactory.CreateLogger<RefineEngine>();
        _codeFixes = new CodeFixWarmup(_logger);
        _documents = new EditorDocuments(_hosts, _codeFixes, _logger);
        _workspaces = new OpenWorkspaces(_hosts, _documents, _codeFixes, workspaceHostFactory, _logger);
        _model = new ModelClient(chatClientFactory ?? (settings => ChatModelFactory.Create(settings, _loggerFactory)));
        _fixIts = new FixItSource(this, _documents);
    }

    /// <summary>The production engine: workspaces are loaded with MSBuildWorkspace.</summary>
    public static RefineEngine Create(ILoggerFactory loggerFactory) =>
        new(loggerFactory, async (root, settings, progress, cancellationToken) =>
            await MSBuildWorkspaceHost.OpenAsync(root, settings, loggerFactory, progress, cancellationToken, deferBackgroundWork: true).ConfigureAwait(false))
        {
            _prepareWorkspaceLoad = () => MSBuildWorkspaceHost.Prewarm(loggerFactory),
        };

    /// <summary>Starts what every first load needs (MSBuild registration, Roslyn's services, the compiler's JIT) in the background.</summary>
    public void PrepareToOpenWorkspace() => _prepareWorkspaceLoad?.Invoke();

    public OciSettings Settings => _settings;

    public string? ModelProblem => _model.Problem;

    public string ModelStatus => _model.Status(_settings.Model, _settings.Refine.CandidatesPerRound);

    public IFixItSource FixIts => _fixIts;

    public int DiskGeneration => _workspaces.DiskGeneration;

    public Task<WorkspaceLoadReport> OpenWorkspaceAsync(string root, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return _workspaces.OpenAsync(Path.GetFullPath(root), _settings.Verification, progress, cancellationToken);
    }

    public Task CloseWorkspaceAsync(string root, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return _workspaces.CloseAsync(Path.GetFullPath(root));
    }

    public OCI.Workspace.DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _workspaces.ApplyDiskChanges(changes);
    }

    public Task<IReadOnlyList<WorkspaceLoadReport>> ReloadWorkspacesAsync(IReadOnlyList<string> triggers, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        return _workspaces.ReloadAsync(triggers, _settings.Verification, progress, cancellationToken);
    }

    public void UpdateSettings(OciSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var modelChanged = settings.Model != _settings.Model;
        _settings = settings;
        if (modelChanged)
        {
            _model.Problem = null;
            _conversations.Clear();
        }
    }

    public void SetDocument(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        _documents.Set(Path.GetFullPath(path), text);
    }

    public bool CloseDocument(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return _documents.Close(Path.GetFullPath(path));
    }

    public Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(string path, LinePositionSpan range, IReadOnlyList<EditorDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return _documents.SuggestActionsAsync(Path.GetFullPath(path), range, diagnostics, cancellationToken);
    }

    /// <summary>Computes the semantic diagnostics that <see cref="SuggestActionsAsync"/> reuses now (instead of after the debounce).</summary>
    public Task RefreshDiagnosticsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return _documents.RefreshDiagnosticsAsync(Path.GetFullPath(path), cancellationToken);
    }

    public Task<OpenDocumentDiagnostics?> GetDocumentDiagnosticsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return _documents.GetDiagnosticsAsync(Path.GetFullPath(path), cancellationToken);
    }

    public Task<VerificationResult> WaitForConfirmationAsync(ConfirmationId id, CancellationToken cancellationToken) => _confirmations.WaitAsync(id, cancellationToken);

    public async Task<RefineOutcome> RunAsync(RefineRequest request, IProgress<RefineProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = _settings;
        var maxRounds = Math.Max(1, settings.Refine.MaxRounds);
        if (_hosts.IsEmpty && !_workspaces.Opening.IsCompleted)
        {
            progress?.Report(new RefineProgress(0, maxRounds, "waiting for the workspace to load"));
            await _workspaces.Opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_hosts.IsEmpty)
        {
            return NotRun("No workspace is open: open a folder with a .sln or .csproj first.");
        }
        if (_hosts.For(Path.GetFullPath(request.FilePath)) is not { } host)
        {
            return NotRun($"{Path.GetFileName(request.FilePath)} is outside every open workspace folder: add its folder to the workspace.");
        }
        var path = Path.GetFullPath(request.FilePath);
        var document = EditorDocuments.Find(host.CurrentSolution, path);
        if (document is null)
        {
            return NotRun(UnloadedFile.Describe(path, host.LoadReport));
        }
        // From here the request searches, compiles and checks: the host's speculative work waits until it is done. Not for
        // a request that waits for the known outcomes (the CLI's checks take nothing before the whole suite): measuring
        // them is speculative work, and it would wait for the request that waits for it.
        using var speculativeWorkHeld = request.ConfirmLater ? host.HoldSpeculativeWork() : null;
        // The warm-up of Roslyn's providers gives way too: the request runs them itself if it needs them.
        using var warmUpHeld = _codeFixes.Hold();

        Task<VerificationResult>? baselineTask = null;
        Task<Prompts.CodeContext>? reachingTests = null;
        var baselineElapsed = new BaselineElapsed();
        var generation = _workspaces.DiskGeneration;
        try
        {
            var previous = _conversations.Find(request.ConversationId);
            var creationWatch = System.Diagnostics.Stopwatch.StartNew();
            var creation = await RefineTaskFactory.CreateAsync(request, document, settings.Verification.MaxFeedbackCharacters, previous is not null, cancellationToken).ConfigureAwait(false);
            if (creation.Task is not { } task) return NotRun(creation.Problem ?? "This action does not apply here.");
            _logger.LogDebug("Task timing: {Title} read from the code in {ElapsedMs} ms", task.Title, creationWatch.ElapsedMilliseconds);
            reachingTests = SearchedContextAsync(task, cancellationToken);
            if (!task.ContinuesConversation) previous = null;

            // The tests that reach the target are searched while the user's code is checked and Roslyn's fixes are
            // computed: none of those needs them (a check that compiles waits for them before its tests run).
            var verifier = new WorkspaceCandidateVerifier(host, settings.Verification, reachingTests, task.TargetDiagnostic, request.ConfirmLater,
                excuseFailuresThatFailedBefore: task.Kind == RefineKind.FixDiagnostic, _confirmations);
            progress?.Report(new RefineProgress(0, maxRounds, "checking your code as it is"));
            var modelAvailable = request.AllowModel && settings.Model.Backend != ModelBackend.None;
            var fixes = settings.Refine.UseRoslynFixes ? task.Fixes(document) : null;
            var concurrent = task.BaselineTiming == BaselineTiming.WhileModelWrites && modelAvailable
                || task.BaselineTiming == BaselineTiming.WhileFixesAreChecked && fixes is not null;
            fixes?.Prefetch(cancellationToken); // Roslyn's fixes are computed while the baseline is checked
            baselineTask = VerifyBaselineAsync(verifier, task, concurrent ? "your code: " : "", maxRounds, baselineElapsed, progress, cancellationToken);
            VerificationResult? baseline = null;
            if (!concurrent)
            {
                baseline = await baselineTask.ConfigureAwait(false);
                await reachingTests.ConfigureAwait(false); // "nothing to do" may depend on them
                if (task.NothingToDo(baseline) is { } nothingToDo) return NotRun(nothingToDo);
            }

            // One run of the loop: the task's fixes first (no model), then model rounds in a conversation opened only if needed.
            ChatConversation? conversation = null;
            async Task<ChatConversation?> OpenConversationAsync(CancellationToken token)
            {
                if (!request.AllowModel) return null;
                await reachingTests.WaitAsync(token).ConfigureAwait(false); // the first prompt shows them
                if (previous is not null) return conversation = previous;
                var client = await _model.GetAsync(settings.Model, token).ConfigureAwait(false);
                var chatOptions = ModelClient.Options(settings.Model, request.Background ? ModelPriority.Background : ModelPriority.Foreground);
                return conversation = client is null ? null : new ChatConversation(client, task.SystemPrompt, chatOptions);
            }
            var options = new RefineLoopOptions(
                maxRounds,
                Baseline: baseline,
                AcceptNoWorse: task.AcceptsNoWorse,
                PendingBaseline: concurrent ? baselineTask : null,
                Fixes: fixes,
                FixLimits: settings.Refine.ToFixSearchLimits(),
                CandidatesPerRound: Math.Max(1, settings.Refine.CandidatesPerRound));
            var loop = new RefineLoop(_loggerFactory.CreateLogger<RefineLoop>());
            ICandidateVerifier candidateVerifier = task.StubReachedIsFailure ? new StubReachedVerifier(verifier) : verifier;
            var result = await loop.RunAsync(task, OpenConversationAsync, candidateVerifier, options, progress, cancellationToken).ConfigureAwait(false);
            if (conversation is not null) _conversations.Remember(conversation);
            var outcome = await FinishAsync(task, result, await baselineTask.ConfigureAwait(false), baselineElapsed.Milliseconds, conversation, settings, cancellationToken).ConfigureAwait(false);
            return _workspaces.DiskGeneration == generation ? outcome : Stale(outcome.Summary + " ", outcome.RoundsUsed, outcome.ConversationId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new RefineOutcome(false, "Cancelled. Your code is unchanged.", [], 0, RefineStopReason.Cancelled);
        }
        catch (Exception e) when (_workspaces.DiskGeneration != generation && e is not ModelException)
        {
            // A reload closed the host this task checked against (its shadow copy, its test host): the task cannot
            // finish, and what it had was about the old files anyway.
            _logger.LogInformation("{Kind} on {Path} ended stale: the workspace changed while it ran ({Error})", request.Kind, Path.GetFileName(path), e.Message);
            return Stale("", 0, null);
        }
        catch (ModelException e)
        {
            _model.Problem = e.Message;
            _logger.LogWarning(e, "The model failed");
            return new RefineOutcome(false, "The model is not available: " + e.Message + " Your code is unchanged.", [], 0, RefineStopReason.NoModel);
        }
        finally
        {
            // A baseline still running when the task ended early (model failure, cancel) finishes on its own (its result
            // is kept for the next command), as does the search for reaching tests; their failures must not go unobserved.
            if (baselineTask is { IsCompleted: false } running)
            {
                _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            if (reachingTests is { IsCompleted: false } searching)
            {
                _ = searching.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The task's context once the tests that reach its target are known; logs how long the search took.</summary>
    private async Task<Prompts.CodeContext> SearchedContextAsync(EditorRefineTask task, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var context = await task.ContextWithTestsAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Task timing: {Count} tests reach {Title}{Bounded}, found in {ElapsedMs} ms", context.ReferencingTests.Count, task.Title,
            context.ReferencingTestsBounded ? " (the search stopped at its bound)" : "", watch.ElapsedMilliseconds);
        return context;
    }

    /// <summary>Checks the user's code as it is (the baseline every candidate must beat) and logs the result and its time.</summary>
    private async Task<VerificationResult> VerifyBaselineAsync(
        WorkspaceCandidateVerifier verifier, EditorRefineTask task, string progressPrefix, int maxRounds, BaselineElapsed elapsed, IProgress<RefineProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var forward = progress is null ? null : new SynchronousProgress<string>(line => progress.Report(new RefineProgress(0, maxRounds, progressPrefix + line)));
        // On the thread pool: the check's first part (the fork, the compile) runs before its first wait, and the fixes
        // checked beside it (WhileFixesAreChecked) would otherwise start only once it ended.
        var baseline = await Task.Run(() => verifier.VerifyBaselineAsync([task.FilePath], forward, cancellationToken), cancellationToken).ConfigureAwait(false);
        elapsed.Milliseconds = watch.ElapsedMilliseconds; // for RefineOutcome.BaselineMs: programs read that, people the log
        _logger.LogInformation("Baseline for {Title}: {Result} in {BaselineMs} ms", task.Title, ResultDescription.Of(baseline), elapsed.Milliseconds);
        return baseline;
    }

    public async ValueTask DisposeAsync()
    {
        await _workspaces.CloseAllAsync().ConfigureAwait(false);
        await _model.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<RefineOutcome> FinishAsync(EditorRefineTask task, RefineLoopResult loop, VerificationResult baseline, long? baselineMs, ChatConversation? conversation, OciSettings settings, CancellationToken cancellationToken)
    {
        var summary = OutcomeSummary.Compose(loop, baseline, task.Title, settings.Model.Backend != ModelBackend.None, _model.Problem);
        var outcome = new RefineOutcome(
            loop.Verified,
            summary,
            loop.Best?.Changes ?? [],
            loop.ModelRounds,
            loop.StopReason,
            conversation?.Id,
            loop.BestResult ?? loop.Rounds.LastOrDefault(r => r.Result is not null)?.Result ?? baseline,
            loop.Best?.Description)
        {
            WhatFails = loop.Best is { } best && loop.BestResult is { } bestResult && !loop.Verified ? ResultDescription.WhatFails(best, bestResult) : null,
            CandidateOrigin = loop.Best?.Origin,
            RoundTimings = loop.RoundTimings,
            BaselineMs = baselineMs,
        };
        _logger.LogInformation("{Kind} {Title}: {Summary}", task.Kind, task.Title, summary);

        if (settings.Refine.TrajectoryLogPath is { Length: > 0 } logPath && conversation is not null)
        {
            var entry = TrajectoryEntry.From(conversation, task.Kind, TrajectoryEntry.ModelName(settings.Model), loop.Verified, loop.ModelRounds, DateTimeOffset.UtcNow);
            await TrajectoryLog.TryAppendAsync(logPath, entry, _logger, cancellationToken).ConfigureAwait(false);
        }
        return outcome;
    }

    private static RefineOutcome NotRun(string summary) => new(false, summary, [], 0, RefineStopReason.NotRun);

    private static RefineOutcome Stale(string before, int rounds, string? conversationId) => new(false,
        before + "Files changed on disk or the workspace was reloaded while the task ran, so its result is about files that are gone: nothing was applied; run it again.",
        [], rounds, RefineStopReason.Stale, conversationId);
}
