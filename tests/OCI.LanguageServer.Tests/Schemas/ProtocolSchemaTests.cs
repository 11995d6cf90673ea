using Json.Schema;

namespace OCI.LanguageServer.Tests.Schemas;

/// <summary>The protocol payload schemas (schemas/PROTOCOL.md) accept their own examples and reject broken payloads.</summary>
public sealed class ProtocolSchemaTests
{
    public static TheoryData<string> SchemaFileNames() => new(
        Directory.GetFiles(SchemaFiles.SchemasFolder, "*.schema.json").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(SchemaFileNames))]
    public void EverySchemaIsDraft202012AndAcceptsItsExamples(string fileName)
    {
        var json = SchemaFiles.SchemaJson(fileName);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", json["$schema"]!.GetValue<string>());
        var schema = SchemaFiles.Schema(fileName);

        foreach (var example in json["examples"]?.AsArray() ?? [])
        {
            var (isValid, errors) = SchemaFiles.Evaluate(schema, example);
            Assert.True(isValid, $"{fileName} example {example!.ToJsonString()}: {errors}");
        }
    }

    [Fact]
    public void RefineSelectionWithoutInstructionIsRejected()
    {
        var arguments = SchemaFiles.Schema("command-arguments.schema.json");
        var options = new EvaluationOptions();
        options.SchemaRegistry.Register(arguments);
        var executeCommand = JsonSchema.FromText(
            """{ "$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://oci.invalid/schemas/command-arguments.schema.json#/$defs/executeCommandParams" }""");
        bool Valid(string json) => executeCommand.Evaluate(JsonNode.Parse(json), options).IsValid;

        const string args = """{ "textDocument": { "uri": "file:///w/Calc.cs", "version": 3 }, "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 2, "character": 0 } } }""";
        Assert.True(Valid($$"""{ "command": "oci.generate", "arguments": [ {{args}} ] }"""));
        Assert.False(Valid($$"""{ "command": "oci.refineSelection", "arguments": [ {{args}} ] }"""));
        Assert.True(Valid($$"""{ "command": "oci.refineSelection", "arguments": [ {{args[..^1]}}, "instruction": "use a loop" } ] }"""));
        Assert.False(Valid("""{ "command": "oci.fixDiagnostic" }"""));
        Assert.True(Valid("""{ "command": "oci.cancel" }"""));
        Assert.False(Valid("""{ "command": "oci.unknown" }"""));
    }

    [Theory]
    [InlineData("command-arguments.schema.json", """{ "textDocument": { "uri": "file:///w/Calc.cs" }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } } }""")]
    [InlineData("command-arguments.schema.json", """{ "textDocument": { "uri": "file:///w/Calc.cs", "version": 1 }, "range": { "start": { "line": -1, "character": 0 }, "end": { "line": 0, "character": 0 } } }""")]
    [InlineData("command-result.schema.json", """{ "applied": true, "verified": true, "summary": "ok", "roundsUsed": 1, "stopReason": "done" }""")]
    [InlineData("status.schema.json", """{ "state": "loaded", "backend": "llamaSharp" }""")]
    [InlineData("progress.schema.json", """{ "kind": "report", "percentage": 150 }""")]
    [InlineData("trajectory.schema.json", """{ "id": "1", "timestamp": "2026-11-26T06:00:00Z", "task": "generate", "model": "m", "verified": true, "rounds": 1, "messages": [ { "role": "tool", "content": "x" } ] }""")]
    public void BrokenPayloadsAreRejected(string fileName, string payload)
    {
        Assert.False(SchemaFiles.Evaluate(SchemaFiles.Schema(fileName), JsonNode.Parse(payload)).IsValid);
    }
}
