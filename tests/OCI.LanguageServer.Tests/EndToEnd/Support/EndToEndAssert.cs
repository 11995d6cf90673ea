namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>Reading the answers of the real server, with the whole message in every failure.</summary>
public static class EndToEndAssert
{
    /// <summary>The result of a successful response (fails with the error otherwise).</summary>
    public static JsonObject Result(JsonObject response) =>
        response["result"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"expected a result object, got {response.ToJsonString()}");

    /// <summary>The text edits of the one TextDocumentEdit of an applyEdit, checked against the document's uri and version.</summary>
    public static JsonArray SingleVersionedEdit(JsonObject applyEdit, OpenDocument document)
    {
        var documentChanges = applyEdit["params"]?["edit"]?["documentChanges"] as JsonArray
            ?? throw new Xunit.Sdk.XunitException($"applyEdit without documentChanges: {applyEdit.ToJsonString()}");
        var change = Assert.Single(documentChanges)!;
        Assert.Equal(document.Uri, (string?)change["textDocument"]!["uri"]);
        Assert.Equal(document.Version, (int?)change["textDocument"]!["version"]);
        return change["edits"]!.AsArray();
    }

    public static JsonObject Action(JsonArray actions, string titleStart) =>
        actions.OfType<JsonObject>().FirstOrDefault(a => ((string?)a["title"])?.StartsWith(titleStart, StringComparison.Ordinal) == true)
            ?? throw new Xunit.Sdk.XunitException($"no code action starting with '{titleStart}' in {actions.ToJsonString()}");
}
