using System.Text.Json;
using System.Text.Json.Serialization;

namespace OCI.LanguageServer.Protocol;

/// <summary><c>ProgressToken</c> is an integer or a string, so it travels as a raw JSON value.</summary>
public sealed record WorkDoneProgressCreateParams(JsonElement Token);

public sealed record WorkDoneProgressCancelParams(JsonElement Token);

public sealed record ProgressParams(JsonElement Token, object Value);

public sealed record WorkDoneProgressBegin(string Title, bool? Cancellable = null, string? Message = null, int? Percentage = null)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "begin";
}

public sealed record WorkDoneProgressReport(string? Message = null, int? Percentage = null, bool? Cancellable = null)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "report";
}

public sealed record WorkDoneProgressEnd(string? Message = null)
{
    [JsonPropertyOrder(-1)]
    public string Kind => "end";
}
