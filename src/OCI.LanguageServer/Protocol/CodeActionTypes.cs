using System.Text.Json;
using System.Text.Json.Serialization;

namespace OCI.LanguageServer.Protocol;

public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

public sealed record CodeActionContext(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string>? Only = null, int? TriggerKind = null);

/// <summary>A diagnostic as the editor shows it; <see cref="Code"/> is a number or a string.</summary>
public sealed record Diagnostic(
    Range Range,
    string Message,
    int? Severity = null,
    JsonElement? Code = null,
    string? Source = null)
{
    /// <summary>The code as text ("CS0246", "1234"), or null when absent.</summary>
    [JsonIgnore]
    public string? CodeText => Code is { } code
        ? code.ValueKind switch
        {
            JsonValueKind.String => code.GetString(),
            JsonValueKind.Number => code.GetRawText(),
            _ => null,
        }
        : null;
}

public sealed record Command
{
    public required string Title { get; init; }

    /// <summary>The command identifier (wire name "command"; a C# member cannot share its type's name).</summary>
    [JsonPropertyName("command")]
    public required string CommandIdentifier { get; init; }

    public IReadOnlyList<JsonElement>? Arguments { get; init; }
}

public sealed record CodeAction
{
    public required string Title { get; init; }
    public string? Kind { get; init; }
    public IReadOnlyList<Diagnostic>? Diagnostics { get; init; }
    public bool? IsPreferred { get; init; }
    public WorkspaceEdit? Edit { get; init; }
    public Command? Command { get; init; }
    public JsonElement? Data { get; init; }
}

/// <summary>Values of <c>CodeActionKind</c> the server uses.</summary>
public static class CodeActionKind
{
    public const string QuickFix = "quickfix";
    public const string Refactor = "refactor";
    public const string RefactorRewrite = "refactor.rewrite";
}

public sealed record ExecuteCommandParams(string Command, IReadOnlyList<JsonElement>? Arguments = null, JsonElement? WorkDoneToken = null);
