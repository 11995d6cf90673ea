using System.Text.Json;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>The JSON-RPC envelope of one message, checked before StreamJsonRpc sees it.</summary>
internal sealed record MessageEnvelope(string? Method, string? RawId, bool IsResponse)
{
    public bool IsRequest => Method is not null && RawId is not null;

    /// <summary>Validates the envelope; on failure returns an error text and whatever id could be read.</summary>
    public static MessageEnvelope? TryRead(JsonElement root, out string? error, out string? rawId)
    {
        rawId = null;
        error = null;
        if (root.ValueKind == JsonValueKind.Array)
        {
            error = "Batch messages are not supported by LSP.";
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"A message must be a JSON object, not {root.ValueKind}.";
            return null;
        }
        if (root.TryGetProperty("id", out var id))
        {
            if (id.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            {
                rawId = id.GetRawText();
            }
            else if (id.ValueKind != JsonValueKind.Null)
            {
                error = "The id must be a number or a string.";
                return null;
            }
        }
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            error = "The message lacks \"jsonrpc\": \"2.0\".";
            return null;
        }
        if (root.TryGetProperty("method", out var method))
        {
            if (method.ValueKind != JsonValueKind.String)
            {
                error = "The method must be a string.";
                return null;
            }
            if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
            {
                error = "The params must be an object or an array.";
                return null;
            }
            if (id.ValueKind == JsonValueKind.Null && root.TryGetProperty("id", out _))
            {
                error = "A request id must not be null.";
                return null;
            }
            return new MessageEnvelope(method.GetString(), rawId, IsResponse: false);
        }
        if (rawId is not null && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)))
        {
            return new MessageEnvelope(null, rawId, IsResponse: true);
        }
        error = "The message is neither a request, a notification nor a response.";
        return null;
    }

    /// <summary>Finds a top-level "id" in the first bytes of a message too large to parse whole; null when not found.</summary>
    public static string? TryFindId(byte[] prefix)
    {
        try
        {
            var reader = new Utf8JsonReader(prefix, isFinalBlock: false, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return null;
                }
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return null;
                }
                var isId = reader.ValueTextEquals("id"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isId)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        JsonTokenType.String => JsonSerializer.Serialize(reader.GetString()),
                        _ => null,
                    };
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
