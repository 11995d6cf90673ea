using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>StreamJsonRpc's connection with one change: a handler's unexpected exception answers -32603 and is logged.</summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler, ILogger logger) : StreamJsonRpc.JsonRpc(handler)
{
    /// <summary>
    /// The server's connection over <paramref name="handler"/>: messages dispatched one at a time in arrival order (a
    /// non-concurrent context, each up to its first await; <c>Server/HandlerQueue</c> orders the rest), StreamJsonRpc's
    /// trace to the log.
    /// </summary>
    public static LspJsonRpc Create(LspMessageHandler handler, ILoggerFactory loggerFactory)
    {
        var rpc = new LspJsonRpc(handler, loggerFactory.CreateLogger<LspJsonRpc>())
        {
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
            TraceSource = new System.Diagnostics.TraceSource("StreamJsonRpc", System.Diagnostics.SourceLevels.Warning),
        };
        rpc.TraceSource.Listeners.Clear();
        rpc.TraceSource.Listeners.Add(new LoggerTraceListener(loggerFactory.CreateLogger("StreamJsonRpc")));
        return rpc;
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } e } ? e : exception;
        if (inner is LocalRpcException or OperationCanceledException)
        {
            return base.CreateErrorDetails(request, exception);
        }
        if (inner is RpcArgumentDeserializationException or System.Text.Json.JsonException)
        {
            return new JsonRpcError.ErrorDetail
            {
                Code = JsonRpcErrorCode.InvalidParams,
                Message = $"Invalid params for {request.Method}: {inner.Message}",
            };
        }
        logger.LogError(inner, "{Method} failed", request.Method);
        return new JsonRpcError.ErrorDetail
        {
            Code = (JsonRpcErrorCode)ErrorCodes.InternalError,
            Message = $"{request.Method} failed: {inner.Message}",
        };
    }
}
