using System.Text.Json;
using System.Text.Json.Nodes;

namespace OCI.Workspace.Testing;

/// <summary>
/// The runtime configuration the warm test host runs a test assembly under, so its verdict is the one <c>dotnet test</c>
/// gives: VSTest starts its testhost with the test project's own <c>runtimeconfig.json</c>, so do we. Everything the
/// runtime reads from <c>configProperties</c> (globalization invariant or not, AppContext switches, GC settings) comes
/// from the test project; only the framework reference is the host's where the test asks for an older one (the host is
/// built for this runtime). The host's own settings (the server's repository-wide InvariantGlobalization) never apply.
/// </summary>
internal static class TestRuntimeConfig
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The composed runtimeconfig text for <paramref name="testAssembly"/>, or null when a file is missing or unreadable.</summary>
    public static string? Compose(string testAssembly, string hostAssembly)
    {
        try
        {
            return ComposeOrThrow(testAssembly, hostAssembly);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return null; // a value of the wrong JSON kind
        }
    }

    private static string? ComposeOrThrow(string testAssembly, string hostAssembly)
    {
        var test = Read(Path.ChangeExtension(testAssembly, ".runtimeconfig.json"));
        var host = Read(Path.ChangeExtension(hostAssembly, ".runtimeconfig.json"));
        if (test?["runtimeOptions"] is not JsonObject testOptions || host?["runtimeOptions"] is not JsonObject hostOptions) return null;

        var options = new JsonObject();
        if (hostOptions["tfm"] is { } tfm) options["tfm"] = tfm.DeepClone();
        if (hostOptions["framework"] is JsonObject hostFramework)
        {
            var framework = (JsonObject)hostFramework.DeepClone();
            if (TestFrameworkVersion(testOptions, framework["name"]?.GetValue<string>()) is { } testVersion
                && Version.TryParse(framework["version"]?.GetValue<string>(), out var hostVersion) && testVersion > hostVersion)
            {
                framework["version"] = testVersion.ToString();
            }
            options["framework"] = framework;
        }
        else if (hostOptions["frameworks"] is { } frameworks)
        {
            options["frameworks"] = frameworks.DeepClone();
        }
        options["configProperties"] = testOptions["configProperties"]?.DeepClone() ?? new JsonObject();
        return new JsonObject { ["runtimeOptions"] = options }.ToJsonString(Indented);
    }

    /// <summary>
    /// Writes <paramref name="text"/> beside <paramref name="testAssembly"/> (a place every runner of the shadow copy can
    /// read, sandboxed or not) and returns its path.
    /// </summary>
    public static string WriteBeside(string testAssembly, string text)
    {
        var path = Path.ChangeExtension(testAssembly, ".oci-testhost.runtimeconfig.json");
        if (!File.Exists(path) || File.ReadAllText(path) != text) File.WriteAllText(path, text);
        return path;
    }

    private static Version? TestFrameworkVersion(JsonObject testOptions, string? name)
    {
        var frameworks = new List<JsonNode?>();
        if (testOptions["framework"] is { } single) frameworks.Add(single);
        if (testOptions["frameworks"] is JsonArray many) frameworks.AddRange(many);
        var match = frameworks.OfType<JsonObject>().FirstOrDefault(f => f["name"]?.GetValue<string>() == name);
        return Version.TryParse(match?["version"]?.GetValue<string>(), out var version) ? version : null;
    }

    private static JsonNode? Read(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
