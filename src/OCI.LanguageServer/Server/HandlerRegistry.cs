using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace OCI.LanguageServer.Server;

/// <summary>
/// Binds typed handlers to a connection under their declared method names, each run through one
/// <see cref="HandlerQueue"/> that enforces its declared <see cref="HandlerOrdering"/>. The params-missing rule lives
/// here once: requests answer -32602, notifications are logged and dropped, unless the handler names a default.
/// </summary>
internal sealed class HandlerRegistry(StreamJsonRpc.JsonRpc rpc, ILogger logger)
{
    private readonly HashSet<string> _methods = new(StringComparer.Ordinal);
    private readonly HandlerQueue _queue = new();

    public IReadOnlyCollection<string> Methods => _methods;

    public HandlerRegistry Add<THandler, TParams, TResult>(IRequestHandler<THandler, TParams, TResult> handler)
        where THandler : IRequestHandler<THandler, TParams, TResult>
        where TParams : class
    {
        // Optional parameters: StreamJsonRpc then also matches a message that carries no params at all.
        Task<TResult> Endpoint(TParams? parameters = null, CancellationToken cancellationToken = default)
        {
            var present = parameters ?? THandler.WhenMissing ?? throw LspErrors.InvalidParams($"'{THandler.Method}' requires params.");
            return _queue.RunAsync(THandler.Ordering, () => handler.HandleAsync(present, cancellationToken), cancellationToken);
        }
        return Bind(THandler.Method, (Func<TParams?, CancellationToken, Task<TResult>>)Endpoint);
    }

    public HandlerRegistry Add<THandler, TParams>(INotificationHandler<THandler, TParams> handler)
        where THandler : INotificationHandler<THandler, TParams>
        where TParams : class
    {
        void Endpoint(TParams? parameters = null)
        {
            if ((parameters ?? THandler.WhenMissing) is { } present)
            {
                var handled = _queue.RunAsync(THandler.Ordering, () =>
                {
                    handler.Handle(present);
                    return Task.FromResult(true);
                }, CancellationToken.None);
                // Run now, an exception reaches StreamJsonRpc as before; run later (queued), it is logged here.
                if (!handled.IsCompleted)
                {
                    handled.ContinueWith(t => logger.LogError(t.Exception, "{Method} failed", THandler.Method),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
            else
            {
                logger.LogWarning("Ignored {Method} without params", THandler.Method);
            }
        }
        return Bind(THandler.Method, (Action<TParams?>)Endpoint);
    }

    private HandlerRegistry Bind(string method, Delegate endpoint)
    {
        if (!_methods.Add(method))
        {
            throw new InvalidOperationException($"Two handlers serve '{method}'.");
        }
        rpc.AddLocalRpcMethod(endpoint.Method, endpoint.Target, new JsonRpcMethodAttribute(method) { UseSingleObjectParameterDeserialization = true });
        return this;
    }
}
