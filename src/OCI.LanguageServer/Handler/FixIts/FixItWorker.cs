using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.Engine.Suggestions;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Commands;
using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.FixIts;

/// <summary>
/// Verified fix-its, before the user asks. Every change of an open C# document withdraws its fix-its and queues it;
/// after a pause in typing (<see cref="Debounce"/>) one background worker takes the document's compile errors and
/// verifies a fix through the engine's fix-diagnostic path (Roslyn's fixes; the model only with
/// <c>oci.suggestions.useModel</c>). A verified fix passes the real build, so it fixes every error of the project: it
/// is offered at each error of the document, as a ready quick fix (codeAction) and as <c>oci/fixIts</c>. Typing again
/// cancels the running verification. One job runs at a time on one worker, the builds and test runs it starts run at the
/// lowest CPU priority (<see cref="OCI.Workspace.Processes.BackgroundPriority"/>), and codeAction only reads the store.
/// </summary>
internal sealed class FixItWorker : IDisposable
{
    /// <summary>
    /// Short: the fix-it of a typo should be on screen within a second of the keystroke. A pause between keystrokes longer
    /// than this starts a job that the next keystroke cancels (cheap: it is cancelled between stages, nothing is shown).
    /// </summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    /// <summary>Errors tried per document before giving up on it (each try is a baseline + fixes + build + tests).</summary>
    private const int MaxErrorsTried = 3;

    private readonly IRefineEngine _engine;
    private readonly DocumentStore _documents;
    private readonly ServerState _state;
    private readonly ClientConnection _client;
    private readonly SettingsService _settings;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Job> _latest = new(StringComparer.Ordinal);

    public FixItWorker(IRefineEngine engine, DocumentStore documents, ServerState state, ClientConnection client, SettingsService settings, ILogger logger)
    {
        _engine = engine;
        _documents = documents;
        _state = state;
        _client = client;
        _settings = settings;
        _logger = logger;
        // One consumer: jobs run one after another, never in parallel with each other.
        _ = Task.Run(RunLoopAsync);
    }

    public FixItStore Store { get; } = new();

    /// <summary>A document was opened or changed: withdraw its fix-its (they no longer apply) and verify again after a pause.</summary>
    public void DocumentChanged(TextDocumentSnapshot snapshot)
    {
        Cancel(snapshot.Uri);
        if (Store.Clear(snapshot.Uri)) Publish(snapshot.Uri, snapshot.Version, []);
        if (snapshot.Path is null || !snapshot.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || !_settings.Current.Suggestions.Enabled
            || _engine.FixIts is null || _shutdown.IsCancellationRequested)
        {
            return;
        }
        var job = new Job(snapshot.Uri, snapshot.Version, Stopwatch.GetTimestamp() + (long)(Debounce.TotalSeconds * Stopwatch.Frequency),
            CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token));
        _latest[snapshot.Uri] = job;
        _queue.Writer.TryWrite(job);
    }

    public void DocumentClosed(string uri)
    {
        Cancel(uri);
        Store.Clear(uri);
    }

    /// <summary>Queues every open document (after the workspace has loaded: before, the engine knows no errors).</summary>
    public void QueueAll()
    {
        foreach (var snapshot in _documents.Snapshot().Values) DocumentChanged(snapshot);
    }

    /// <summary>
    /// A command runs on this document: its running verification stops (the command does the same work, and its edit
    /// changes the document, which queues the next one); the fix-its already published stay.
    /// </summary>
    public void CommandStarted(string uri) => Cancel(uri);

    private void Cancel(string uri)
    {
        if (_latest.TryRemove(uri, out var earlier))
        {
            try
            {
                earlier.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task RunLoopAsync()
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(_shutdown.Token).ConfigureAwait(false))
            {
                var token = job.Cancellation.Token;
                try
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), job.DueTimestamp);
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, token).ConfigureAwait(false);
                    await VerifyAsync(job, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // The user typed again (or the server is shutting down).
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Verifying fix-its for {Uri} failed", job.Uri);
                }
                finally
                {
                    _latest.TryRemove(new KeyValuePair<string, Job>(job.Uri, job));
                    job.Cancellation.Dispose();
                }
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
    }

    private async Task VerifyAsync(Job job, CancellationToken cancellationToken)
    {
        if (_engine.FixIts is not { } source || _documents.Get(job.Uri) is not { Path: { } path } snapshot || snapshot.Version != job.Version) return;
        // Builds and test runs started for this job yield the cores to what the user waits for (nice 19).
        OCI.Workspace.Processes.BackgroundPriority.MarkCurrentFlow();
        var watch = Stopwatch.StartNew();
        var errors = await source.GetErrorsAsync(path, cancellationToken).ConfigureAwait(false);
        // The engine's text must be the editor's (it is, unless a change slipped in: then a newer job follows).
        if (errors is null || errors.Errors.Count == 0 || errors.Text != snapshot.Text) return;

        var atStart = _documents.Snapshot();
        var useModel = _settings.Current.Suggestions.UseModel;
        var distinct = errors.Errors.DistinctBy(e => (e.Id, e.Range.Start.Line)).ToList();
        foreach (var error in distinct.Take(MaxErrorsTried))
        {
            var fix = await source.VerifyFixAsync(path, error, useModel, cancellationToken).ConfigureAwait(false);
            if (fix is null) continue;
            var plan = await WorkspaceEditBuilder.PlanAsync(fix.Changes, atStart, _documents, _state, cancellationToken).ConfigureAwait(false);
            if (plan.StaleDocuments.Count > 0) return; // typed meanwhile: the newer job decides
            if (plan.Edit is null) continue;
            cancellationToken.ThrowIfCancellationRequested();
            if (_documents.Get(job.Uri)?.Version != job.Version) return;

            // It passed the real build, so no error of this document is left: offer it at each of them.
            var encoding = _state.PositionEncoding;
            var fixIts = distinct.Select(e => new OciFixIt(snapshot.FromLinePositionSpan(e.Range, encoding), fix.Title, e.Id, plan.Edit)).ToList();
            Store.Set(job.Uri, job.Version, fixIts);
            Publish(job.Uri, job.Version, fixIts);
            // The server benchmark measures keystroke-to-fix-it at the client; this line is for the log reader.
            _logger.LogInformation("Fix-it for {Uri} v{Version} verified in {Ms} ms: {Title}", job.Uri, job.Version, watch.ElapsedMilliseconds, fix.Title);
            if (fix.Confirmation is { } confirmation) _ = FollowConfirmationAsync(job, snapshot, distinct, plan.Edit, confirmation, watch);
            return;
        }
        _logger.LogInformation("No verified fix-it for {Uri} v{Version} ({Count} errors, {Ms} ms)", job.Uri, job.Version, distinct.Count, watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// The real build and whole suite of a fix-it shown on its in-memory build: its title then says what they verified,
    /// or it is withdrawn (the log says why). Only while the document still has the version it was shown for.
    /// </summary>
    private async Task FollowConfirmationAsync(Job job, TextDocumentSnapshot snapshot, IReadOnlyList<DocumentError> errors, WorkspaceEdit edit, Task<FixConfirmation> confirmation, Stopwatch watch)
    {
        try
        {
            var confirmed = await confirmation.ConfigureAwait(false);
            if (confirmed.Superseded || _documents.Get(job.Uri)?.Version != job.Version || !Store.Holds(job.Uri, job.Version)) return;
            if (confirmed.Confirmed)
            {
                var encoding = _state.PositionEncoding;
                var fixIts = errors.Select(e => new OciFixIt(snapshot.FromLinePositionSpan(e.Range, encoding), confirmed.Title, e.Id, edit)).ToList();
                Store.Set(job.Uri, job.Version, fixIts);
                Publish(job.Uri, job.Version, fixIts);
                _logger.LogInformation("Fix-it for {Uri} v{Version} confirmed in {Ms} ms: {Title}", job.Uri, job.Version, watch.ElapsedMilliseconds, confirmed.Title);
            }
            else
            {
                Store.Clear(job.Uri);
                Publish(job.Uri, job.Version, []);
                _logger.LogWarning("Fix-it for {Uri} v{Version} withdrawn: the real build or the whole suite failed: {Reason}", job.Uri, job.Version, confirmed.Reason);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The confirmation of the fix-it for {Uri} did not finish", job.Uri);
        }
    }

    private void Publish(string uri, int version, IReadOnlyList<OciFixIt> fixIts)
    {
        if (!_state.ClientWantsFixIts) return;
        _ = _client.NotifyAsync(OciMethods.FixIts, new OciFixItsParams(new VersionedTextDocumentIdentifier(uri, version), fixIts));
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _shutdown.Cancel();
        foreach (var uri in _latest.Keys) Cancel(uri);
    }

    private sealed record Job(string Uri, int Version, long DueTimestamp, CancellationTokenSource Cancellation);
}
