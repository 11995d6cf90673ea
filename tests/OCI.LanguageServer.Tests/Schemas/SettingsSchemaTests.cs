using System.Reflection;
using System.Text.Json;
using OCI.Engine;
using OCI.Models;

namespace OCI.LanguageServer.Tests.Schemas;

/// <summary>
/// schemas/settings.schema.json is the one description of the settings that the server's records, the VS Code
/// package.json and the Neovim plugin share; these tests keep the three from drifting apart.
/// </summary>
public sealed class SettingsSchemaTests
{
    private static readonly JsonNode SchemaJson = SchemaFiles.SchemaJson("settings.schema.json");

    private static JsonNode DefaultSettingsJson() =>
        JsonSerializer.SerializeToNode(new OciSettings(), SchemaFiles.WireOptions)!;

    [Fact]
    public void DefaultSettingsValidateAgainstTheSchema()
    {
        var (isValid, errors) = SchemaFiles.Evaluate(SchemaFiles.Schema("settings.schema.json"), DefaultSettingsJson());

        Assert.True(isValid, errors);
    }

    [Fact]
    public void ConfiguredSettingsValidateAndTyposDoNot()
    {
        var schema = SchemaFiles.Schema("settings.schema.json");
        var configured = new OciSettings
        {
            Model = new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://127.0.0.1:8080/v1", Threads = 4, Temperature = 0.2f },
            Refine = new RefineSettings { MaxRounds = 5, TrajectoryLogPath = "/tmp/trajectories.jsonl" },
        };
        Assert.True(SchemaFiles.Evaluate(schema, JsonSerializer.SerializeToNode(configured, SchemaFiles.WireOptions)).IsValid);

        var typo = DefaultSettingsJson();
        typo["model"]!["maxToken"] = 10;
        Assert.False(SchemaFiles.Evaluate(schema, typo).IsValid);

        var badBackend = DefaultSettingsJson();
        badBackend["model"]!["backend"] = "LlamaSharp";
        Assert.False(SchemaFiles.Evaluate(schema, badBackend).IsValid);
    }

    [Fact]
    public void EverySchemaDefaultEqualsTheCSharpDefault()
    {
        var defaults = DefaultSettingsJson();
        var mismatches = SchemaFiles.SettingsLeaves(SchemaJson)
            .Where(leaf => !leaf.Leaf.ContainsKey("default")
                || !SchemaFiles.JsonEquals(leaf.Leaf["default"], SchemaFiles.At(defaults, leaf.Path)))
            .Select(leaf => $"{leaf.Path}: schema {leaf.Leaf["default"]?.ToJsonString() ?? "(no default)"}, C# {SchemaFiles.At(defaults, leaf.Path)?.ToJsonString() ?? "null"}")
            .ToList();

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void SchemaAndSettingsRecordsHaveTheSameProperties()
    {
        var fromCode = SettingsProperties(typeof(OciSettings), "").Select(p => p.Path).Order().ToList();
        var fromSchema = SchemaFiles.SettingsLeaves(SchemaJson).Select(leaf => leaf.Path).Order().ToList();

        Assert.Equal(fromCode, fromSchema);
    }

    [Fact]
    public void SchemaTypesMatchTheCSharpTypes()
    {
        var leaves = SchemaFiles.SettingsLeaves(SchemaJson).ToDictionary(leaf => leaf.Path, leaf => leaf.Leaf);
        var mismatches = new List<string>();
        foreach (var (path, property) in SettingsProperties(typeof(OciSettings), ""))
        {
            if (!leaves.TryGetValue(path, out var leaf))
            {
                continue; // reported by SchemaAndSettingsRecordsHaveTheSameProperties
            }
            var expected = ExpectedSchemaType(property);
            var actual = leaf["type"]!.ToJsonString();
            if (actual != expected)
            {
                mismatches.Add($"{path}: schema type {actual}, C# {property.PropertyType.Name} wants {expected}");
            }
            var enumType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (enumType.IsEnum)
            {
                var names = Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName);
                var schemaNames = leaf["enum"]?.AsArray().Select(value => value!.GetValue<string>()) ?? [];
                if (!names.SequenceEqual(schemaNames))
                {
                    mismatches.Add($"{path}: schema enum [{string.Join(", ", schemaNames)}], C# [{string.Join(", ", names)}]");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void VsCodePackageContributesTheSchemaSettings()
    {
        var properties = SchemaFiles.ReadJson("editors", "vscode", "package.json")["contributes"]!["configuration"]!["properties"]!.AsObject();
        var clientOnly = SchemaFiles.ReadJson("editors", "vscode", "client-settings.json").AsObject()
            .Select(entry => entry.Key).Where(key => !key.StartsWith('$')).ToHashSet();
        var leaves = SchemaFiles.SettingsLeaves(SchemaJson).ToDictionary(leaf => "oci." + leaf.Path, leaf => leaf.Leaf);

        var contributedServerKeys = properties.Select(entry => entry.Key).Where(key => !clientOnly.Contains(key)).Order();
        Assert.Equal(leaves.Keys.Order(), contributedServerKeys);

        var mismatches = new List<string>();
        foreach (var (key, leaf) in leaves)
        {
            var contributed = properties[key]!;
            foreach (var keyword in new[] { "type", "default", "enum", "description", "minimum", "maximum" })
            {
                if (!SchemaFiles.JsonEquals(leaf[keyword], contributed[keyword]))
                {
                    mismatches.Add($"{key}.{keyword}: schema {leaf[keyword]?.ToJsonString() ?? "absent"}, package.json {contributed[keyword]?.ToJsonString() ?? "absent"}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, "run `npm run gen-settings` in editors/vscode:" + Environment.NewLine + string.Join(Environment.NewLine, mismatches));
    }

    /// <summary>Leaf settings properties by dotted camelCase path; nested OCI records are sections.</summary>
    private static IEnumerable<(string Path, PropertyInfo Property)> SettingsProperties(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var path = (prefix.Length == 0 ? "" : prefix + ".") + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var propertyType = property.PropertyType;
            var isSection = propertyType.IsClass && propertyType != typeof(string)
                && propertyType.Namespace?.StartsWith("OCI.", StringComparison.Ordinal) == true;
            if (isSection)
            {
                foreach (var nested in SettingsProperties(propertyType, path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (path, property);
            }
        }
    }

    private static string ExpectedSchemaType(PropertyInfo property)
    {
        var nullable = new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var name = type switch
        {
            _ when type == typeof(string) || type.IsEnum => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) || type == typeof(uint) || type == typeof(long) => "integer",
            _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "number",
            _ => "unsupported:" + type.Name,
        };
        return nullable ? $"[\"{name}\",\"null\"]" : $"\"{name}\"";
    }
}
