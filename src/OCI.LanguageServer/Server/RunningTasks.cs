using System.Collections.Concurrent;
using System.Text.Json;

namespace OCI.LanguageServer.Server;

/// <summary>
/// The refine tasks in flight, each with its own cancellation source, found by progress token for
/// <c>window/workDoneProgress/cancel</c> and all at once for <c>oci.cancel</c> and shutdown.
/// </summary>
internal sealed class RunningTasks
{
    private readonly ConcurrentDictionary<long, Entry> _tasks = new();
    private long _nextId;

    private sealed record Entry(CancellationTokenSource Source, string? Token);

    public int Count => _tasks.Count;

    /// <summary>Registers a task; dispose the result when it ends.</summary>
    public Registration Start(CancellationToken requestCancellation, out CancellationToken token)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(requestCancellation);
        var id = Interlocked.Increment(ref _nextId);
        _tasks[id] = new Entry(source, null);
        token = source.Token;
        return new Registration(this, id, source);
    }

    public int CancelAll()
    {
        var count = 0;
        foreach (var entry in _tasks.Values)
        {
            if (!entry.Source.IsCancellationRequested)
            {
                count++;
                Cancel(entry.Source);
            }
        }
        return count;
    }

    public bool CancelByProgressToken(JsonElement token)
    {
        var key = token.GetRawText();
        var found = false;
        foreach (var entry in _tasks.Values.Where(e => e.Token == key))
        {
            Cancel(entry.Source);
            found = true;
        }
        return found;
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal sealed class Registration(RunningTasks owner, long id, CancellationTokenSource source) : IDisposable
    {
        public void SetProgressToken(JsonElement? token)
        {
            if (token is { } value)
            {
                owner._tasks[id] = new Entry(source, value.GetRawText());
            }
        }

        public void Dispose()
        {
            owner._tasks.TryRemove(id, out _);
            source.Dispose();
        }
    }
}
