using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace OCI.TestHost;

/// <summary>
/// xunit's discovery and execution options are a bag of named values; the framework reads defaults for anything absent,
/// so an empty bag means "what dotnet test would do without a runner config". <see cref="ForAssembly"/> fills the bag
/// from the test's own <c>xunit.runner.json</c>, as xunit's VSTest adapter does, so both runners run the tests alike
/// (e.g. a suite that turns collection parallelism off because its tests share state).
/// </summary>
internal sealed class RunnerOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => _values[name] = value;

    /// <summary>
    /// The options of <paramref name="assemblyPath"/>'s runner config: <c>&lt;assembly&gt;.xunit.runner.json</c> or else
    /// <c>xunit.runner.json</c> beside it (xunit's own lookup order); an absent or unreadable file gives the defaults.
    /// </summary>
    public static RunnerOptions ForAssembly(string assemblyPath)
    {
        var options = new RunnerOptions();
        var folder = Path.GetDirectoryName(assemblyPath)!;
        var candidates = new[]
        {
            Path.Combine(folder, Path.GetFileNameWithoutExtension(assemblyPath) + ".xunit.runner.json"),
            Path.Combine(folder, "xunit.runner.json"),
        };
        if (candidates.FirstOrDefault(File.Exists) is not { } path) return options;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind == JsonValueKind.Object) options.Apply(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // xunit ignores a config it cannot read, too.
        }
        return options;
    }

    /// <summary>The config keys xunit v2's runners map onto framework options (TestFrameworkOptions.ForDiscovery/ForExecution).</summary>
    private void Apply(JsonElement config)
    {
        foreach (var property in config.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "parallelizeTestCollections" when IsBool(value):
                    SetValue("xunit.execution.DisableParallelization", !value.GetBoolean());
                    break;
                case "maxParallelThreads" when MaxParallelThreads(value) is { } threads:
                    SetValue<int?>("xunit.execution.MaxParallelThreads", threads);
                    break;
                case "parallelAlgorithm" when value.ValueKind == JsonValueKind.String:
                    SetValue("xunit.execution.ParallelAlgorithm", Capitalized(value.GetString()!));
                    break;
                case "preEnumerateTheories" when IsBool(value):
                    SetValue("xunit.discovery.PreEnumerateTheories", value.GetBoolean());
                    break;
                case "methodDisplay" when value.ValueKind == JsonValueKind.String:
                    SetValue("xunit.discovery.MethodDisplay", Capitalized(value.GetString()!));
                    break;
                case "methodDisplayOptions" when value.ValueKind == JsonValueKind.String:
                    SetValue("xunit.discovery.MethodDisplayOptions", MethodDisplayOptions(value.GetString()!));
                    break;
                case "stopOnFail" when IsBool(value):
                    SetValue("xunit.execution.StopOnFail", value.GetBoolean());
                    break;
                case "diagnosticMessages" when IsBool(value):
                    SetValue("xunit.discovery.DiagnosticMessages", value.GetBoolean());
                    SetValue("xunit.execution.DiagnosticMessages", value.GetBoolean());
                    break;
            }
        }
    }

    private static bool IsBool(JsonElement value) => value.ValueKind is JsonValueKind.True or JsonValueKind.False;

    /// <summary>A number (0 = the default, one per core; -1 = unlimited), "default", "unlimited" or a core multiplier like "2x".</summary>
    private static int? MaxParallelThreads(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number >= -1 ? number : null;
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!.Trim();
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase)) return 0;
        if (text.Equals("unlimited", StringComparison.OrdinalIgnoreCase)) return -1;
        if (text.EndsWith('x') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0)
        {
            return Math.Max(1, (int)(factor * Environment.ProcessorCount));
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number) && number >= -1 ? number : null;
    }

    /// <summary>xunit parses these enum names case-sensitively; the config spells them in camelCase.</summary>
    private static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>"replaceUnderscoreWithSpace,useOperatorMonikers" or "all"/"none" → the flags enum's names.</summary>
    private static string MethodDisplayOptions(string text) =>
        string.Join(", ", text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Capitalized));
}
