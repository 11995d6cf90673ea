namespace OCI.LanguageServer.Tests.Support;

/// <summary>Little builders for LSP JSON in tests.</summary>
public static class LspJson
{
    public static JsonObject Position(int line, int character) => new() { ["line"] = line, ["character"] = character };

    public static JsonObject Range(int startLine, int startCharacter, int endLine, int endCharacter) =>
        new() { ["start"] = Position(startLine, startCharacter), ["end"] = Position(endLine, endCharacter) };

    public static JsonObject DidOpen(string uri, string text, int version = 1) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = version, ["text"] = text },
    };

    public static JsonObject DidChange(string uri, int version, params JsonObject[] changes) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
        ["contentChanges"] = new JsonArray(changes.Select(c => (JsonNode)c).ToArray()),
    };

    public static JsonObject Change(JsonObject range, string text) => new() { ["range"] = range, ["text"] = text };

    public static JsonObject FullChange(string text) => new() { ["text"] = text };

    public static JsonObject RefineArguments(string uri, int? version, JsonObject range, string? instruction = null) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
        ["range"] = range,
        ["instruction"] = instruction,
    };

    public static int? ErrorCode(JsonObject response) => (int?)response["error"]?["code"];
}
