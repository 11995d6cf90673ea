using OCI.Models;

namespace OCI.LanguageServer.Cli;

/// <summary>The <c>--model PATH|URL</c> argument of <c>oci refine</c> and <c>oci bench</c>: one rule for what names a server.</summary>
internal static class ModelArgument
{
    public const string Description = "A GGUF file (LLamaSharp) or the http(s) URL of an OpenAI-compatible server.";

    /// <summary>An absolute http(s) URL names an OpenAI-compatible server; anything else is a GGUF file path.</summary>
    public static bool IsServerUrl(string model) => ModelSettings.IsHttpUrl(model);

    /// <summary>The settings with the backend the argument names (a file path is made absolute).</summary>
    public static ModelSettings Apply(ModelSettings settings, string model, string? modelName = null) => IsServerUrl(model)
        ? settings with { Backend = ModelBackend.OpenAI, Endpoint = model, ModelName = modelName ?? settings.ModelName }
        : settings with { Backend = ModelBackend.LlamaSharp, Path = Path.GetFullPath(model) };
}
