using System.Text.Json;
using StreamJsonRpc.Protocol;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>
/// An error response the transport writes itself, for input that never reaches StreamJsonRpc (unparseable JSON,
/// invalid envelopes, oversized messages, requests the lifecycle gate refuses). Pre-serialised so that the id can be
/// written exactly as received, including <c>null</c> when it could not be read.
/// </summary>
internal sealed class ProtocolErrorResponse : JsonRpcMessage
{
    public ProtocolErrorResponse(string? rawId, int code, string message)
    {
        RawId = rawId ?? "null";
        Code = code;
        Message = message;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            writer.WriteRawValue(RawId, skipInputValidation: false);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        Json = buffer.ToArray();
    }

    public string RawId { get; }

    public int Code { get; }

    public string Message { get; }

    public byte[] Json { get; }

    public override string ToString() => $"error {Code} for id {RawId}: {Message}";
}
