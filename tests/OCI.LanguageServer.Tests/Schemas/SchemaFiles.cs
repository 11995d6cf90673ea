using System.Text.Json;
using System.Text.Json.Serialization;
using Json.Schema;

namespace OCI.LanguageServer.Tests.Schemas;

/// <summary>Loads the JSON Schemas in schemas/ and the files checked against them, straight from the checkout.</summary>
internal static class SchemaFiles
{
    /// <summary>How settings travel on the wire: camelCase names, enums as camelCase strings, nulls written.</summary>
    public static JsonSerializerOptions WireOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string SchemasFolder => Path.Combine(FixturePaths.RepositoryRoot, "schemas");

    public static JsonNode ReadJson(params string[] relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine([FixturePaths.RepositoryRoot, .. relativePath])))
        ?? throw new InvalidDataException(Path.Combine(relativePath) + " is empty");

    public static JsonNode SchemaJson(string fileName) => ReadJson("schemas", fileName);

    public static JsonSchema Schema(string fileName) => JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemasFolder, fileName)));

    /// <summary>Evaluates and, on failure, names every failing location so the test message says what is wrong.</summary>
    public static (bool IsValid, string Errors) Evaluate(JsonSchema schema, JsonNode? instance)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = results.Details
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.EvaluationPath}): {error.Key}: {error.Value}"));
        return (results.IsValid, string.Join(Environment.NewLine, errors));
    }

    /// <summary>
    /// Leaves of the nested settings schema by dotted path relative to section oci ("model.path"), in schema order.
    /// </summary>
    public static IReadOnlyList<(string Path, JsonObject Leaf)> SettingsLeaves(JsonNode schema, string prefix = "")
    {
        var leaves = new List<(string, JsonObject)>();
        foreach (var (name, property) in schema["properties"]!.AsObject())
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            var leaf = property!.AsObject();
            if (leaf["type"] is JsonValue type && type.GetValue<string>() == "object" && leaf["properties"] is not null)
            {
                leaves.AddRange(SettingsLeaves(leaf, path));
            }
            else
            {
                leaves.Add((path, leaf));
            }
        }
        return leaves;
    }

    /// <summary>The node at a dotted path ("model.path"); null when absent or JSON null.</summary>
    public static JsonNode? At(JsonNode root, string dottedPath) =>
        dottedPath.Split('.').Aggregate((JsonNode?)root, (node, part) => node?[part]);

    /// <summary>Structural equality where numbers compare by value (1 equals 1.0).</summary>
    public static bool JsonEquals(JsonNode? left, JsonNode? right)
    {
        if (left is JsonValue l && right is JsonValue r
            && l.GetValueKind() == JsonValueKind.Number && r.GetValueKind() == JsonValueKind.Number)
        {
            return l.GetValue<decimal>() == r.GetValue<decimal>();
        }
        return JsonNode.DeepEquals(left, right);
    }
}
