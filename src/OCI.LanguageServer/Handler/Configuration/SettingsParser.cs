using System.Text.Json;
using System.Text.Json.Serialization;
using OCI.Engine;
using OCI.Models;

namespace OCI.LanguageServer.Handler.Configuration;

/// <summary>
/// Reads the <c>oci</c> settings section into <see cref="OciSettings"/>: camelCase, case-insensitive names and enum
/// values, missing members keep their defaults, unknown members (VS Code adds <c>trace.server</c>) are ignored.
/// Values that cannot work are refused with a sentence naming the setting.
/// </summary>
internal static class SettingsParser
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static bool TryParse(JsonElement section, out OciSettings settings, out string? problem)
    {
        settings = new OciSettings();
        problem = null;
        if (section.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return true;
        }
        if (section.ValueKind != JsonValueKind.Object)
        {
            problem = $"the oci section must be an object, not {section.ValueKind}";
            return false;
        }
        try
        {
            var parsed = section.Deserialize<OciSettings>(Options) ?? new OciSettings();
            settings = parsed with
            {
                Model = parsed.Model ?? new ModelSettings(),
                Refine = parsed.Refine ?? new RefineSettings(),
                Verification = parsed.Verification ?? new OCI.Workspace.VerificationSettings(),
                Suggestions = parsed.Suggestions ?? new SuggestionSettings(),
            };
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 1 } p ? "oci" + p.TrimStart('$') : "oci";
            problem = $"{path}: {FirstSentence(ex.Message)}";
            return false;
        }
        problem = Validate(settings);
        return problem is null;
    }

    private static string? Validate(OciSettings s)
    {
        var m = s.Model;
        if (s.Refine.MaxRounds < 1) return "oci.refine.maxRounds must be at least 1";
        if (s.Refine.FixChainDepth < 1) return "oci.refine.fixChainDepth must be at least 1";
        if (s.Refine.FixChainWidth < 1) return "oci.refine.fixChainWidth must be at least 1";
        if (s.Refine.FixChainTimeBudgetSeconds < 1) return "oci.refine.fixChainTimeBudgetSeconds must be at least 1";
        if (s.Verification.BuildTimeoutSeconds < 1) return "oci.verification.buildTimeoutSeconds must be at least 1";
        if (s.Verification.TestTimeoutSeconds < 1) return "oci.verification.testTimeoutSeconds must be at least 1";
        if (s.Verification.MaxFeedbackCharacters < 1) return "oci.verification.maxFeedbackCharacters must be at least 1";
        if (m.ContextSize < 1) return "oci.model.contextSize must be at least 1";
        if (m.BatchSize < 1) return "oci.model.batchSize must be at least 1";
        if (m.GpuLayers < 0) return "oci.model.gpuLayers must not be negative";
        if (m.Threads is < 1) return "oci.model.threads must be at least 1 (or absent)";
        if (m.MaxTokens < 1) return "oci.model.maxTokens must be at least 1";
        if (m.RequestTimeoutSeconds < 1) return "oci.model.requestTimeoutSeconds must be at least 1";
        if (m.MaxRetries < 0) return "oci.model.maxRetries must not be negative";
        if (m.Temperature < 0 || float.IsNaN(m.Temperature)) return "oci.model.temperature must not be negative";
        if (m.TopP is <= 0 or > 1 || float.IsNaN(m.TopP)) return "oci.model.topP must be in (0, 1]";
        if (m.Backend == ModelBackend.LlamaSharp && string.IsNullOrWhiteSpace(m.Path)) return "oci.model.path is required when oci.model.backend is llamaSharp";
        if (m.Backend == ModelBackend.OpenAI && !Uri.TryCreate(m.Endpoint, UriKind.Absolute, out _)) return "oci.model.endpoint must be an absolute URL when oci.model.backend is openAI";
        return null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.Strict,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
