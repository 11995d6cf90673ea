using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Engine.Conversations;
using OCI.Engine.Refine;
using OCI.Engine.Suggestions;
using OCI.Engine.Tasks;
using OCI.Engine.Trajectory;
using OCI.Engine.Verification;
using OCI.Models;
using OCI.Workspace;
using OCI.Workspace.CodeFixes;
using OCI.Workspace.Verification;

namespace OCI.Engine;

/// <summary>Opens the user's workspace: the verification layer's loader (MSBuildWorkspace) in production, an in-memory workspace in tests.</summary>
public delegate Task<IWorkspaceHost> WorkspaceHostFactory(string root, VerificationSettings settings, IProgress<string>? progress, CancellationToken cancellationToken);

/// <summary>
/// The engine behind the server and the CLI: holds the workspace and the model, lists the actions that apply at a
/// range (fast, no model, no build), and runs a task through the refine loop — the user's code checked, the task's
/// fixes (Roslyn's, chained) and then model rounds with feedback, by the rules the task states — into one outcome that
/// never offers code worse than the user's. Thread-safe: tasks may run while the editor keeps sending documents.
/// </summary>
public sealed partial class RefineEngine : IRefineEngine
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly WorkspaceHostFactory _hostFactory;
    private readonly Func<ModelSettings, IChatClient?> _chatClientFactory;
    private readonly ConversationStore _conversations = new();
    private readonly DiagnosticsCache _diagnostics;
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly SemaphoreSlim _modelGate = new(1, 1);
    private volatile OciSettings _settings = new();
    private readonly Workspaces.WorkspaceHosts _hosts = new();
    private IChatClient? _chatClient;
    private ModelSettings? _chatClientSettings;
    private volatile string? _modelProblem;
    private Task _codeFixesWarmup = Task.CompletedTask;
    private bool _codeFixesWarmupStarted;
    private Action? _prepareWorkspaceLoad;
    private volatile Task _workspaceOpening = Task.CompletedTask;

    public RefineEngine(ILoggerFactory loggerFactory, WorkspaceHostFactory workspaceHostFactory, Func<ModelSettings, IChatClient?>? chatClientFactory = null)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _hostFactory = workspaceHostFactory ?? throw new ArgumentNullException(nameof(workspaceHostFactory));
        _chatClientFactory = chatClientFactory ?? (settings => ChatModelFactory.Create(settings, _loggerFactory));
        _logger = loggerFactory.CreateLogger<RefineEngine>();
        _diagnostics = new DiagnosticsCache(TimeSpan.FromMilliseconds(250), _logger);
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

    public string? ModelProblem => _modelProblem;

    public string ModelStatus
    {
        get
        {
            var model = _settings.Model;
            if (_modelProblem is { } problem) return "model error: " + problem;
            return model.Backend switch
            {
                ModelBackend.None => "no model configured",
                ModelBackend.LlamaSharp => $"{model.DisplayName() ?? "no GGUF path set"} · LlamaSharp {(model.GpuLayers > 0 ? "GPU" : "CPU")}{ModelCapacity.Describe(_chatClient, model, _settings.Refine.CandidatesPerRound)}",
                ModelBackend.OpenAI => $"{model.DisplayName() ?? "model"} · {model.Endpoint ?? "no endpoint set"}",
                _ => model.Backend.ToString(),
            };
        }
    }

    public async Task<WorkspaceLoadReport> OpenWorkspaceAsync(string root, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var fullRoot = Path.GetFullPath(root);
        // A command sent while the first load runs (an editor opens a file and asks at once) waits for it.
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _workspaceOpening = opened.Task;
        try
        {
            IWorkspaceHost host;
            try
            {
                host = await _hostFactory(fullRoot, _settings.Verification, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                WarmUpCodeFixes(); // Roslyn's fixes still serve single files
                _logger.LogError(e, "Loading the workspace at {Root} failed", fullRoot);
                return new WorkspaceLoadReport(fullRoot, [], [$"The workspace at {fullRoot} could not be loaded: {e.Message}"]);
            }

            _logger.LogDebug("Load timing: workspace host ready");
            var previous = _hosts.Set(fullRoot, host);
            if (previous is not null)
            {
                // Before the old host closes: a task still checking against it ends stale instead of failing.
                Interlocked.Increment(ref _diskGeneration);
                await previous.DisposeAsync().ConfigureAwait(false);
            }
            KeyValuePair<string, string>[] overlays;
            lock (_gate) overlays = [.. _documents];
            foreach (var (path, text) in overlays) TryOverlay(host, path, text);
            _logger.LogDebug("Load timing: {Count} editor buffer(s) overlaid", overlays.Length);
            // Code actions work from here on (the host is set); the load is reported (and the server's fix-its start)
            // once the open documents are diagnosed.
            await DiagnoseOpenDocumentsThenStartBackgroundWorkAsync(host, [.. overlays.Select(o => o.Key)]).ConfigureAwait(false);
            return host.LoadReport;
        }
        finally
        {
            opened.TrySetResult();
        }
    }

    /// <summary>
    /// The editor's open documents get their diagnostics first (their code actions need them; only each document's own
    /// tree is bound), and only then does the host start its background work (every project's compilation, the known
    /// failures' build and test run), which would otherwise take the few cores the first diagnostics need.
    /// </summary>
    private async Task DiagnoseOpenDocumentsThenStartBackgroundWorkAsync(IWorkspaceHost host, IReadOnlyList<string> openPaths)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var solution = host.CurrentSolution;
            foreach (var path in openPaths)
            {
                if (FindDocument(solution, path) is { } document) await _diagnostics.RefreshAsync(document, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "The open documents' first diagnostics failed");
        }
        finally
        {
            _logger.LogDebug("Load timing: {Count} open document(s) diagnosed in {ElapsedMs} ms; background work starts", openPaths.Count, watch.ElapsedMilliseconds);
            WarmUpCodeFixes();
            host.StartBackgroundWork();
        }
    }

    /// <summary>Discovers Roslyn's code fix providers (MEF, about a second of CPU cold) once, after the first diagnostics.</summary>
    private void WarmUpCodeFixes()
    {
        lock (_gate)
        {
            if (_codeFixesWarmupStarted) return;
            _codeFixesWarmupStarted = true;
            _codeFixesWarmup = Task.Run(() =>
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                CodeFixProviderCatalog.CanFix("CS0246");
                _logger.LogDebug("Load timing: code fix catalog in {ElapsedMs} ms", watch.ElapsedMilliseconds);
            }, CancellationToken.None);
        }
    }

    /// <summary>A workspace folder was removed from the editor: its host is closed; the other folders keep serving.</summary>
    public async Task CloseWorkspaceAsync(string root, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (_hosts.Remove(Path.GetFullPath(root)) is { } host)
        {
            Interlocked.Increment(ref _diskGeneration);
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void UpdateSettings(OciSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var modelChanged = settings.Model != _settings.Model;
        _settings = settings;
        if (modelChanged)
        {
            _modelProblem = null;
            _conversations.Clear();
        }
    }

    public void SetDocument(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        var fullPath = Path.GetFullPath(path);
        lock (_gate) _documents[fullPath] = text;
        if (_hosts.For(fullPath) is { } host && TryOverlay(host, fullPath, text) && FindDocument(host.CurrentSolution, fullPath) is { } document)
        {
            _diagnostics.Schedule(document);
        }
    }

    public bool CloseDocument(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        lock (_gate) _documents.Remove(fullPath);
        _diagnostics.Remove(fullPath);
        if (_hosts.For(fullPath) is not { } host) return false;
        var before = host.CurrentSolution;
        try
        {
            host.RemoveOverlay(fullPath);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            _logger.LogDebug(e, "No overlay to remove for {Path}", fullPath);
        }
        return !ReferenceEquals(before, host.CurrentSolution);
    }

    public async Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(string path, LinePositionSpan range, IReadOnlyList<EditorDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (_hosts.For(fullPath) is not { } host) return [];
        var document = FindDocument(host.CurrentSolution, fullPath);
        if (document is null) return []; // outside every loaded project: nothing here could be verified
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return [];

        IEnumerable<Diagnostic> known = root.GetDiagnostics();
        if (_diagnostics.TryGet(document) is { } semantic) known = known.Concat(semantic);
        else _diagnostics.Schedule(document);
        return ActionSuggester.Suggest(fullPath, root, text, range, diagnostics ?? [], known, _codeFixesWarmup.IsCompletedSuccessfully);
    }

    /// <summary>Computes the semantic diagnostics that <see cref="SuggestActionsAsync"/> reuses now (instead of after the debounce).</summary>
    public async Task RefreshDiagnosticsAsync(string path, CancellationToken cancellationToken)
    {
        if (_hosts.For(Path.GetFullPath(path)) is { } host && FindDocument(host.CurrentSolution, Path.GetFullPath(path)) is { } document)
        {
            await _diagnostics.RefreshAsync(document, cancellationToken).ConfigureAwait(false);
        }
        WarmUpCodeFixes();
        await _codeFixesWarmup.ConfigureAwait(false);
    }

    public async Task<RefineOutcome> RunAsync(RefineRequest request, IProgress<RefineProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = _settings;
        var maxRounds = Math.Max(1, settings.Refine.MaxRounds);
        if (_hosts.IsEmpty && !_workspaceOpening.IsCompleted)
        {
            progress?.Report(new RefineProgress(0, maxRounds, "waiting for the workspace to load"));
            await _workspaceOpening.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        var document = FindDocument(host.CurrentSolution, path);
        if (document is null)
        {
            return NotRun(UnloadedFile.Describe(path, host.LoadReport));
        }

        Task<VerificationResult>? baselineTask = null;
        var baselineElapsed = new BaselineElapsed();
        var generation = DiskGeneration;
        try
        {
            var previous = _conversations.Find(request.ConversationId);
            var creation = await RefineTaskFactory.CreateAsync(request, document, settings.Verification.MaxFeedbackCharacters, previous is not null, cancellationToken).ConfigureAwait(false);
            if (creation.Task is not { } task) return NotRun(creation.Problem ?? "This action does not apply here.");
            if (!task.ContinuesConversation) previous = null;

            var verifier = new WorkspaceCandidateVerifier(host, settings.Verification, task.TestFilter, task.TargetDiagnostic, request.ConfirmLater,
                excuseFailuresThatFailedBefore: task.Kind == RefineKind.FixDiagnostic, reachingTestsBounded: task.Context.ReferencingTestsBounded);
            progress?.Report(new RefineProgress(0, maxRounds, "checking your code as it is"));
            var modelAvailable = request.AllowModel && settings.Model.Backend != ModelBackend.None;
            var concurrent = task.BaselineTiming == BaselineTiming.WhileModelWrites && modelAvailable;
            baselineTask = VerifyBaselineAsync(verifier, task, concurrent ? "your code: " : "", maxRounds, baselineElapsed, progress, cancellationToken);
            VerificationResult? baseline = null;
            if (!concurrent)
            {
                baseline = await baselineTask.ConfigureAwait(false);
                if (task.NothingToDo(baseline) is { } nothingToDo) return NotRun(nothingToDo);
            }

            // One run of the loop: the task's fixes first (no model), then model rounds in a conversation opened only if needed.
            ChatConversation? conversation = null;
            async Task<ChatConversation?> OpenConversationAsync(CancellationToken token)
            {
                if (!request.AllowModel) return null;
                if (previous is not null) return conversation = previous;
                var client = await GetChatClientAsync(settings.Model, token).ConfigureAwait(false);
                var chatOptions = ToChatOptions(settings.Model).WithPriority(request.Background ? ModelPriority.Background : ModelPriority.Foreground);
                return conversation = client is null ? null : new ChatConversation(client, task.SystemPrompt, chatOptions);
            }
            var options = new RefineLoopOptions(
                maxRounds,
                Baseline: baseline,
                AcceptNoWorse: task.AcceptsNoWorse,
                PendingBaseline: concurrent ? baselineTask : null,
                Fixes: settings.Refine.UseRoslynFixes ? task.Fixes(document) : null,
                FixLimits: settings.Refine.ToFixSearchLimits(),
                CandidatesPerRound: Math.Max(1, settings.Refine.CandidatesPerRound));
            var loop = new RefineLoop(_loggerFactory.CreateLogger<RefineLoop>());
            ICandidateVerifier candidateVerifier = task.StubReachedIsFailure ? new StubReachedVerifier(verifier) : verifier;
            var result = await loop.RunAsync(task, OpenConversationAsync, candidateVerifier, options, progress, cancellationToken).ConfigureAwait(false);
            if (conversation is not null) _conversations.Remember(conversation);
            var outcome = await FinishAsync(task, result, await baselineTask.ConfigureAwait(false), baselineElapsed.Milliseconds, conversation, settings, cancellationToken).ConfigureAwait(false);
            return DiskGeneration == generation ? outcome : Stale(outcome.Summary + " ", outcome.RoundsUsed, outcome.ConversationId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new RefineOutcome(false, "Cancelled. Your code is unchanged.", [], 0, RefineStopReason.Cancelled);
        }
        catch (Exception e) when (DiskGeneration != generation && e is not ModelException)
        {
            // A reload closed the host this task checked against (its shadow copy, its test host): the task cannot
            // finish, and what it had was about the old files anyway.
            _logger.LogInformation("{Kind} on {Path} ended stale: the workspace changed while it ran ({Error})", request.Kind, Path.GetFileName(path), e.Message);
            return Stale("", 0, null);
        }
        catch (ModelException e)
        {
            _modelProblem = e.Message;
            _logger.LogWarning(e, "The model failed");
            return new RefineOutcome(false, "The model is not available: " + e.Message + " Your code is unchanged.", [], 0, RefineStopReason.NoModel);
        }
        finally
        {
            // A baseline still running when the task ended early (model failure, cancel) finishes on its own (its result
            // is kept for the next command); its failure must not go unobserved.
            if (baselineTask is { IsCompleted: false } running)
            {
                _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Checks the user's code as it is (the baseline every candidate must beat) and logs the result and its time.</summary>
    private async Task<VerificationResult> VerifyBaselineAsync(
        WorkspaceCandidateVerifier verifier, EditorRefineTask task, string progressPrefix, int maxRounds, BaselineElapsed elapsed, IProgress<RefineProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var forward = progress is null ? null : new SynchronousProgress<string>(line => progress.Report(new RefineProgress(0, maxRounds, progressPrefix + line)));
        var baseline = await verifier.VerifyBaselineAsync([task.FilePath], forward, cancellationToken).ConfigureAwait(false);
        elapsed.Milliseconds = watch.ElapsedMilliseconds; // for RefineOutcome.BaselineMs: programs read that, people the log
        _logger.LogInformation("Baseline for {Title}: {Result} in {BaselineMs} ms", task.Title, ResultDescription.Of(baseline), elapsed.Milliseconds);
        return baseline;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (root, _) in _hosts.All)
        {
            if (_hosts.Remove(root) is { } host) await host.DisposeAsync().ConfigureAwait(false);
        }
        await _modelGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _chatClient?.Dispose();
            _chatClient = null;
        }
        finally
        {
            _modelGate.Release();
        }
    }

    private async Task<RefineOutcome> FinishAsync(EditorRefineTask task, RefineLoopResult loop, VerificationResult baseline, long? baselineMs, ChatConversation? conversation, OciSettings settings, CancellationToken cancellationToken)
    {
        var summary = OutcomeSummary.Compose(loop, baseline, task.Title, settings.Model.Backend != ModelBackend.None, _modelProblem);
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
            try
            {
                var entry = TrajectoryEntry.From(conversation, task.Kind, TrajectoryEntry.ModelName(settings.Model), loop.Verified, loop.ModelRounds, DateTimeOffset.UtcNow);
                await TrajectoryLog.AppendAsync(logPath, entry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(e, "Could not append to the trajectory log {Path}", logPath);
            }
        }
        return outcome;
    }

    private async Task<IChatClient?> GetChatClientAsync(ModelSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Backend == ModelBackend.None) return null;
        await _modelGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_chatClient is not null && _chatClientSettings == settings) return _chatClient;
            _chatClient?.Dispose();
            _chatClient = null;
            _chatClientSettings = null;
            // Loading a GGUF takes seconds and gigabytes: off the caller's thread, once per settings.
            var client = await Task.Run(() => _chatClientFactory(settings), cancellationToken).ConfigureAwait(false);
            _chatClient = client;
            _chatClientSettings = settings;
            _modelProblem = null;
            return client;
        }
        finally
        {
            _modelGate.Release();
        }
    }

    private static ChatOptions ToChatOptions(ModelSettings model) => new()
    {
        Temperature = model.Temperature,
        TopP = model.TopP,
        Seed = model.Seed,
        MaxOutputTokens = model.MaxTokens,
    };

    private static Document? FindDocument(Solution solution, string path)
    {
        var id = solution.GetDocumentIdsWithFilePath(path).FirstOrDefault();
        return id is null ? null : solution.GetDocument(id);
    }

    private bool TryOverlay(IWorkspaceHost host, string path, string text)
    {
        try
        {
            host.SetOverlay(path, text);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            _logger.LogDebug(e, "{Path} is outside the loaded projects; kept as an editor buffer only", path);
            return false;
        }
    }

    private static RefineOutcome NotRun(string summary) => new(false, summary, [], 0, RefineStopReason.NotRun);

    private static RefineOutcome Stale(string before, int rounds, string? conversationId) => new(false,
        before + "Files changed on disk or the workspace was reloaded while the task ran, so its result is about files that are gone: nothing was applied; run it again.",
        [], rounds, RefineStopReason.Stale, conversationId);
}
