using Microsoft.Extensions.Logging;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Discovers Roslyn's code fix providers (MEF, about a second of CPU cold) once, in the background, after the first
/// diagnostics: until then codeAction lists no Roslyn fix rather than block on the discovery.
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

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Start();
        lock (_gate) return _warmup.WaitAsync(cancellationToken);
    }
}
