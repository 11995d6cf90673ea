using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace OCI.LanguageServer.Server;

/// <summary>
/// Binds typed handlers to a connection under their declared method names. The params-missing rule lives here once:
/// requests answer -32602, notifications are logged and dropped, unless the handler names a default.
/// </summary>
internal sealed class HandlerRegistry(StreamJsonRpc.JsonRpc rpc, ILogger logger)
{
    private readonly HashSet<string> _methods = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Methods => _methods;

    public HandlerRegistry Add<THandler, TParams, TResult>(IRequestHandler<THandler, TParams, TResult> handler)
        where THandler : IRequestHandler<THandler, TParams, TResult>
        where TParams : class
    {
        // Optional parameters: StreamJsonRpc then also matches a message that carries no params at all.
        Task<TResult> Endpoint(TParams? parameters = null, CancellationToken cancellationToken = default) =>
            handler.HandleAsync(
                parameters ?? THandler.WhenMissing ?? throw LspErrors.InvalidParams($"'{THandler.Method}' requires params."),
                cancellationToken);
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
                handler.Handle(present);
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
