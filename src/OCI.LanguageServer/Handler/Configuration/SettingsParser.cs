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
        if (s.Refine.MaxRounds < 1) return "oci.refine.maxRounds must be at least 1";
        if (s.Refine.FixChainDepth < 1) return "oci.refine.fixChainDepth must be at least 1";
        if (s.Refine.FixChainWidth < 1) return "oci.refine.fixChainWidth must be at least 1";
        if (s.Refine.CandidatesPerRound is < 1 or > 16) return "oci.refine.candidatesPerRound must be between 1 and 16";
        if (s.Refine.FixChainTimeBudgetSeconds < 1) return "oci.refine.fixChainTimeBudgetSeconds must be at least 1";
        if (s.Verification.BuildTimeoutSeconds < 1) return "oci.verification.buildTimeoutSeconds must be at least 1";
        if (s.Verification.TestTimeoutSeconds < 1) return "oci.verification.testTimeoutSeconds must be at least 1";
        if (s.Verification.MaxFeedbackCharacters < 1) return "oci.verification.maxFeedbackCharacters must be at least 1";
        if (s.Model.Problem() is { } modelProblem) return modelProblem; // the models layer owns the rules of its settings
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
