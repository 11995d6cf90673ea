using System.Text.Json;
using OCI.LanguageServer.Protocol;
using Range = OCI.LanguageServer.Protocol.Range;

namespace OCI.LanguageServer.Tests.Schemas;

/// <summary>What the server sends as <c>oci/fixIts</c> (its C# records, serialised as on the wire) matches schemas/fixits.schema.json.</summary>
public sealed class FixItSchemaTests
{
    private static Range At(int line, int start, int end) => new(new Position(line, start), new Position(line, end));

    private static JsonNode? Wire(object value) => JsonSerializer.SerializeToNode(value, OCI.LanguageServer.Protocol.LspJson.Options);

    [Fact]
    public void The_servers_fixIts_payload_is_valid_with_documentChanges_with_changes_and_empty()
    {
        var schema = SchemaFiles.Schema("fixits.schema.json");
        var document = new VersionedTextDocumentIdentifier("file:///w/Program.cs", 7);
        var edits = new List<TextEdit> { new(At(0, 0, 0), "using System.Text;\n") };
        var versioned = new WorkspaceEdit { DocumentChanges = [new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(document.Uri, 7), edits)] };
        var plain = new WorkspaceEdit { Changes = new Dictionary<string, IReadOnlyList<TextEdit>> { [document.Uri] = edits } };

        foreach (var payload in new[]
        {
            new OciFixItsParams(document, [new OciFixIt(At(8, 26, 39), "Add using System.Text — builds, 12/12 tests", "CS0246", versioned)]),
            new OciFixItsParams(document, [new OciFixIt(At(8, 26, 39), "Fix CS0103 (model) — builds", null, plain)]),
            new OciFixItsParams(document, []),
        })
        {
            var (isValid, errors) = SchemaFiles.Evaluate(schema, Wire(payload));
            Assert.True(isValid, $"{Wire(payload)!.ToJsonString()}: {errors}");
        }
    }

    [Theory]
    [InlineData("""{ "textDocument": { "uri": "file:///w/P.cs" }, "fixIts": [] }""")]
    [InlineData("""{ "textDocument": { "uri": "file:///w/P.cs", "version": 1 }, "fixIts": [ { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } }, "title": "x", "edit": {} } ] }""")]
    [InlineData("""{ "textDocument": { "uri": "file:///w/P.cs", "version": 1 }, "fixIts": [ { "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } }, "title": "", "edit": { "changes": {} } } ] }""")]
    public void Broken_fixIts_payloads_are_rejected(string payload)
    {
        Assert.False(SchemaFiles.Evaluate(SchemaFiles.Schema("fixits.schema.json"), JsonNode.Parse(payload)).IsValid);
    }
}
