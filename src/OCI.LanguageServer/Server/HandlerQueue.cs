namespace OCI.LanguageServer.Server;

/// <summary>
/// Enforces each handler's <see cref="HandlerOrdering"/>, in the manner of Roslyn's RequestExecutionQueue: an
/// <see cref="HandlerOrdering.InOrder"/> handler starts after every earlier message has started and finishes before
/// any later message starts, so a mutation is never seen half done; <see cref="HandlerOrdering.Concurrent"/> handlers
/// start in arrival order and run alongside each other and later messages. Unlike Roslyn, a mutation does not wait for
/// earlier concurrent handlers to finish, only to start: they read their state (immutable snapshots) when they start,
/// and one of them is a refine task that runs for minutes while the user keeps typing.
/// </summary>
/// <remarks>
/// Messages enter in arrival order (StreamJsonRpc dispatches them one at a time on a non-concurrent context). When
/// nothing is pending a handler starts at once, synchronously, as without the queue.
/// </remarks>
internal sealed class HandlerQueue
{
    private readonly Lock _lock = new();

    /// <summary>Completes when the next message to arrive may start.</summary>
    private Task _mayStart = Task.CompletedTask;

    public Task<T> RunAsync<T>(HandlerOrdering ordering, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_lock)
        {
            previous = _mayStart;
            _mayStart = released.Task;
        }
        return previous.IsCompleted
            ? Start(ordering, work, released)
            : StartAfterAsync(previous, ordering, work, released, cancellationToken);
    }

    private static Task<T> Start<T>(HandlerOrdering ordering, Func<Task<T>> work, TaskCompletionSource released)
    {
        Task<T> running;
        try
        {
            running = work();
        }
        catch
        {
            released.TrySetResult();
            throw;
        }
        if (ordering == HandlerOrdering.Concurrent || running.IsCompleted)
        {
            released.TrySetResult();
        }
        else
        {
            running.ContinueWith(_ => released.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return running;
    }

    private static async Task<T> StartAfterAsync<T>(Task previous, HandlerOrdering ordering, Func<Task<T>> work, TaskCompletionSource released, CancellationToken cancellationToken)
    {
        try
        {
            await previous.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled while queued: it never starts, and the messages after it still wait for the ones before it.
            _ = previous.ContinueWith(_ => released.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        return await Start(ordering, work, released).ConfigureAwait(false);
    }
}
