namespace OCI.Workspace.Shadow;

/// <summary>
/// One check at a time in the shadow copy, and the one the user waits for first. A foreground check (an editor command,
/// the CLI) never queues behind background work (a fix-it's verification, a confirmation of an edit already offered): it
/// interrupts the background holder (<see cref="Lease.Interrupted"/>), which gives the shadow back and waits until no
/// foreground check is waiting or running before it may enter again.
/// </summary>
internal sealed class ShadowGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly object _lock = new();
    private int _foreground;
    private TaskCompletionSource _foregroundIdle = Completed();
    private CancellationTokenSource? _backgroundHolder;

    /// <summary>Waits for the shadow copy. Background leases can be interrupted; foreground leases never are.</summary>
    public async Task<Lease> EnterAsync(bool background, CancellationToken cancellationToken)
    {
        if (!background)
        {
            CancellationTokenSource? interrupt;
            lock (_lock)
            {
                if (_foreground++ == 0) _foregroundIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                interrupt = _backgroundHolder;
            }
            TryCancel(interrupt);
            try
            {
                await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ForegroundDone();
                throw;
            }
            return new Lease(this, null);
        }

        while (true)
        {
            Task idle;
            lock (_lock) idle = _foregroundIdle.Task;
            await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_foreground == 0)
                {
                    _backgroundHolder = new CancellationTokenSource();
                    return new Lease(this, _backgroundHolder);
                }
            }
            _semaphore.Release(); // a foreground check arrived between the two waits: it goes first
        }
    }

    private void Exit(CancellationTokenSource? background)
    {
        if (background is not null)
        {
            lock (_lock) _backgroundHolder = null;
            background.Dispose();
            _semaphore.Release();
            return;
        }
        _semaphore.Release();
        ForegroundDone();
    }

    private void ForegroundDone()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_foreground == 0) idle = _foregroundIdle;
        }
        idle?.TrySetResult();
    }

    private static void TryCancel(CancellationTokenSource? source)
    {
        try
        {
            source?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The background holder left meanwhile.
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public void Dispose() => _semaphore.Dispose();

    /// <summary>The shadow copy held; dispose to give it back.</summary>
    public sealed class Lease(ShadowGate gate, CancellationTokenSource? background) : IDisposable
    {
        private int _disposed;

        /// <summary>Cancelled when a foreground check wants the shadow copy (never for a foreground lease).</summary>
        public CancellationToken Interrupted { get; } = background?.Token ?? CancellationToken.None;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Exit(background);
        }
    }
}
