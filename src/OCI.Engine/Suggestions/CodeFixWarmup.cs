using Microsoft.Extensions.Logging;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Discovers Roslyn's code fix providers (MEF, about a second of CPU cold) once, in the background, beside the open
/// documents' first diagnostics: until then codeAction lists no Roslyn fix rather than block on the discovery.
/// </summary>
internal sealed class CodeFixWarmup(ILogger logger)
{
    private readonly object _gate = new();
    private Task _warmup = Task.CompletedTask;
    private bool _started;

    public bool IsReady => _started && _warmup.IsCompletedSuccessfully;

    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
            _warmup = Task.Run(() =>
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                CodeFixProviderCatalog.CanFix("CS0246");
                logger.LogDebug("Load timing: code fix catalog in {ElapsedMs} ms", watch.ElapsedMilliseconds);
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs the providers that search the referenced assemblies for a misspelt name once, in the background, on a copy of
    /// <paramref name="document"/> with one (never shown, never written): their first run builds the symbol index of every
    /// referenced assembly that "add using" searches, seconds of CPU that the first fix would otherwise wait for. Only
    /// those providers, and none of their actions applied: the rest builds nothing lasting and took the same cores.
    /// It gives way to requests (<see cref="Hold"/>).
    /// </summary>
    public void WarmProviders(Microsoft.CodeAnalysis.Document document)
    {
        lock (_gate)
        {
            if (_providersWarm) return;
            _probeDocument = document;
            if (_holds == 0 && _providerRun is null) StartProviderRun();
        }
    }

    /// <summary>
    /// Stops the providers' warm-up while a request runs, and starts it again once no request holds it. Why: on two cores
    /// it took a core from the request the user waits for (the reach search after opening went from 1.7 s to 3 s); a
    /// request that needs those providers runs them itself, and what the interrupted run indexed stays in Roslyn's cache.
    /// </summary>
    public IDisposable Hold()
    {
        lock (_gate)
        {
            _holds++;
            _providerRun?.Cancel();
            _providerRun = null;
        }
        return new Release(this);
    }

    private sealed class Release(CodeFixWarmup warmup) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            lock (warmup._gate)
            {
                if (--warmup._holds == 0 && !warmup._providersWarm && warmup._probeDocument is not null && warmup._providerRun is null) warmup.StartProviderRun();
            }
        }
    }

    /// <summary>The providers' warm-up ran to its end (test support).</summary>
    internal bool ProvidersWarm
    {
        get { lock (_gate) return _providersWarm; }
    }

    private int _holds;
    private bool _providersWarm;
    private Microsoft.CodeAnalysis.Document? _probeDocument;
    private CancellationTokenSource? _providerRun;

    /// <summary>Under <see cref="_gate"/>: a run of the providers on the probe document, cancelled by <see cref="Hold"/>.</summary>
    private void StartProviderRun()
    {
        var run = new CancellationTokenSource();
        _providerRun = run;
        var document = _probeDocument!;
        _ = Task.Run(async () =>
        {
            try
            {
                await WaitAsync(run.Token).ConfigureAwait(false);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                const string Unknown = "OciCodeFixWarmUpUnknownName";
                const string Probe = "\ninternal static class OciCodeFixWarmUp\n{\n    private static object Probe() => " + Unknown + ";\n}\n";
                var text = await document.GetTextAsync(run.Token).ConfigureAwait(false);
                var probed = document.WithText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0), Probe)));
                var span = new Microsoft.CodeAnalysis.Text.TextSpan(text.Length + Probe.IndexOf(Unknown, StringComparison.Ordinal), Unknown.Length);
                var offered = await RoslynCodeFixes.WarmNameSearchAsync(probed, span, "CS0103", run.Token).ConfigureAwait(false);
                run.Token.ThrowIfCancellationRequested();
                lock (_gate)
                {
                    _providersWarm = true;
                    _probeDocument = null;
                }
                logger.LogDebug("Load timing: code fix providers warmed in {ElapsedMs} ms ({Count} fixes for a name that does not exist)", watch.ElapsedMilliseconds, offered);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                logger.LogDebug("Load timing: the code fix providers' warm-up gave way to a request");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogDebug(e, "The code fix providers were not warmed");
            }
            finally
            {
                lock (_gate)
                {
                    if (_providerRun == run) _providerRun = null;
                }
                run.Dispose(); // Hold cancels only the run it finds under the lock
            }
        }, CancellationToken.None);
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Start();
        lock (_gate) return _warmup.WaitAsync(cancellationToken);
    }
}
