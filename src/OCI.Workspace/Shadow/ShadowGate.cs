namespace OCI.Workspace.Shadow;

/// <summary>How much a check in the shadow copy may make others wait (<see cref="ShadowGate"/>).</summary>
internal enum ShadowPriority
{
    /// <summary>Someone waits for it (an editor command, the CLI): it interrupts every other holder.</summary>
    Foreground,

    /// <summary>Shown to the user when done (a fix-it, the confirmation of an edit already offered): interrupts speculative work.</summary>
    Background,

    /// <summary>Done ahead of need (the known outcomes after load, the shadow copy's warming build): gives way to everything.</summary>
    Speculative,
}

/// <summary>
/// One check at a time in the shadow copy, and the one the user waits for first. A foreground check (an editor command,
/// the CLI) never queues behind background work (a fix-it's verification, a confirmation of an edit already offered):
/// it interrupts the background holder (<see cref="Lease.Interrupted"/>), which gives the shadow back and waits until no
/// foreground check is waiting or running before it may enter again. Speculative work (a warming build) is to background
/// checks what they are to foreground ones: a fix-it never waits for a build nobody asked for.
/// </summary>
internal sealed class ShadowGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly object _lock = new();
    private int _foreground;
    private int _background;
    private TaskCompletionSource _foregroundIdle = Completed();
    private TaskCompletionSource _backgroundIdle = Completed();
    private CancellationTokenSource? _holder;
    private ShadowPriority _holderPriority;

    /// <summary>The calling flow's claim on the shadow copy: speculative work, a background check, or one someone waits for.</summary>
    public static ShadowPriority CurrentPriority() =>
        Processes.BackgroundPriority.IsSpeculative ? ShadowPriority.Speculative
        : Processes.BackgroundPriority.IsBackground ? ShadowPriority.Background
        : ShadowPriority.Foreground;

    /// <summary>Waits for the shadow copy: a background check if <paramref name="background"/>, else a foreground one.</summary>
    public Task<Lease> EnterAsync(bool background, CancellationToken cancellationToken) =>
        EnterAsync(background ? ShadowPriority.Background : ShadowPriority.Foreground, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> with the shadow copy, in its turn at <paramref name="priority"/>: work interrupted by a
    /// check of higher priority (<see cref="Lease.Interrupted"/>) gives the copy up, <paramref name="interrupted"/> is told,
    /// and it starts over once its turn comes again. <paramref name="waited"/> hears how long each wait took.
    /// </summary>
    public async Task<T> RunInTurnAsync<T>(
        ShadowPriority priority, Func<CancellationToken, Task<T>> work, Action interrupted, Action<TimeSpan>? waited, CancellationToken cancellationToken)
    {
        while (true)
        {
            var waitWatch = System.Diagnostics.Stopwatch.StartNew();
            using var lease = await EnterAsync(priority, cancellationToken).ConfigureAwait(false);
            waited?.Invoke(waitWatch.Elapsed);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Interrupted);
            try
            {
                return await work(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lease.Interrupted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                interrupted();
            }
        }
    }

    /// <summary>
    /// Keeps speculative work out of the shadow copy until disposed, and interrupts the speculative holder, as a background
    /// check waiting for the copy would: a request the user waits for holds it from its start, so that a whole-suite run
    /// nobody asked for does not start on the few cores its search and compile need before its first check enters.
    /// </summary>
    public IDisposable HoldSpeculativeWork()
    {
        CancellationTokenSource? interrupt;
        lock (_lock)
        {
            if (_background++ == 0) _backgroundIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            interrupt = _holderPriority == ShadowPriority.Speculative ? _holder : null;
        }
        TryCancel(interrupt);
        return new SpeculativeWorkHeld(this);
    }

    /// <summary>Waits for the shadow copy. Leases below <see cref="ShadowPriority.Foreground"/> can be interrupted; foreground leases never are.</summary>
    public async Task<Lease> EnterAsync(ShadowPriority priority, CancellationToken cancellationToken)
    {
        if (priority == ShadowPriority.Foreground)
        {
            CancellationTokenSource? interrupt;
            lock (_lock)
            {
                if (_foreground++ == 0) _foregroundIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                interrupt = _holder;
            }
            TryCancel(interrupt);
            try
            {
                await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Done(ShadowPriority.Foreground);
                throw;
            }
            return new Lease(this, null, ShadowPriority.Foreground);
        }
        if (priority == ShadowPriority.Background)
        {
            CancellationTokenSource? interrupt;
            lock (_lock)
            {
                if (_background++ == 0) _backgroundIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                interrupt = _holderPriority == ShadowPriority.Speculative ? _holder : null;
            }
            TryCancel(interrupt);
        }
        try
        {
            while (true)
            {
                Task idle;
                lock (_lock) idle = priority == ShadowPriority.Speculative ? Task.WhenAll(_foregroundIdle.Task, _backgroundIdle.Task) : _foregroundIdle.Task;
                await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
                await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    if (_foreground == 0 && (priority == ShadowPriority.Background || _background == 0))
                    {
                        _holder = new CancellationTokenSource();
                        _holderPriority = priority;
                        return new Lease(this, _holder, priority);
                    }
                }
                _semaphore.Release(); // a check that goes first arrived between the two waits
            }
        }
        catch
        {
            if (priority == ShadowPriority.Background) Done(ShadowPriority.Background);
            throw;
        }
    }

    private void Exit(CancellationTokenSource? holder, ShadowPriority priority)
    {
        if (holder is not null)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_holder, holder)) _holder = null;
            }
            holder.Dispose();
        }
        _semaphore.Release();
        if (priority != ShadowPriority.Speculative) Done(priority);
    }

    /// <summary>A foreground or background check left (or gave up waiting): the lower priorities may go when none is left.</summary>
    private void Done(ShadowPriority priority)
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (priority == ShadowPriority.Foreground && --_foreground == 0) idle = _foregroundIdle;
            if (priority == ShadowPriority.Background && --_background == 0) idle = _backgroundIdle;
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

    private sealed class SpeculativeWorkHeld(ShadowGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Done(ShadowPriority.Background);
        }
    }

    /// <summary>The shadow copy held; dispose to give it back.</summary>
    public sealed class Lease(ShadowGate gate, CancellationTokenSource? interruptible, ShadowPriority priority) : IDisposable
    {
        private int _disposed;

        /// <summary>Cancelled when a check of a higher priority wants the shadow copy (never for a foreground lease).</summary>
        public CancellationToken Interrupted { get; } = interruptible?.Token ?? CancellationToken.None;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Exit(interruptible, priority);
        }
    }
}
