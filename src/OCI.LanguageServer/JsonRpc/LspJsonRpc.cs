using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>StreamJsonRpc's connection with one change: a handler's unexpected exception answers -32603 and is logged.</summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler, ILogger logger) : StreamJsonRpc.JsonRpc(handler)
{
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
