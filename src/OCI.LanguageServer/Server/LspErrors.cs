using OCI.LanguageServer.Protocol;
using StreamJsonRpc;

namespace OCI.LanguageServer.Server;

/// <summary>Exceptions that StreamJsonRpc turns into error responses with the given code.</summary>
internal static class LspErrors
{
    public static LocalRpcException InvalidParams(string message) => new(message) { ErrorCode = ErrorCodes.InvalidParams };

    public static LocalRpcException InvalidRequest(string message) => new(message) { ErrorCode = ErrorCodes.InvalidRequest };

    public static LocalRpcException RequestFailed(string message) => new(message) { ErrorCode = ErrorCodes.RequestFailed };

    /// <summary>StreamJsonRpc passes null when a request has no params; handlers that need them answer -32602.</summary>
    public static T Require<T>(T? parameters, string method) where T : class =>
        parameters ?? throw InvalidParams($"'{method}' requires params.");
}
