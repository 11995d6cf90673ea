using Microsoft.Extensions.Logging;

namespace OCI.LanguageServer.Server;

/// <summary>Work the server starts on its own (workspace load, settings pull): never awaited by a handler, cancelled at shutdown, failures logged.</summary>
internal sealed class BackgroundWork(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<Task> _tasks = [];

    public CancellationToken ShutdownToken => _shutdown.Token;

    public void Run(string name, Func<CancellationToken, Task> work)
    {
        var token = _shutdown.Token;
        var task = Task.Run(async () =>
        {
            try
            {
                await work(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                logger.LogDebug("{Name} cancelled", name);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Name} failed", name);
            }
        }, CancellationToken.None);
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    public void CancelAll()
    {
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public Task WhenAllAsync()
    {
        lock (_tasks)
        {
            return Task.WhenAll(_tasks);
        }
    }

    public void Dispose() => _shutdown.Dispose();
}
