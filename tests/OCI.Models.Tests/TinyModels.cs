using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>The real GGUF files in ../shared/models and settings that load them quickly.</summary>
internal static class TinyModels
{
    public static string Stories => Path.Combine(FixturePaths.Models, "stories260K.gguf");

    public static string Llama2Tokenizer => Path.Combine(FixturePaths.Models, "llama-2-tiny-random.gguf");

    public static ModelSettings Settings(string path, uint contextSize = 512) => new()
    {
        Backend = ModelBackend.LlamaSharp,
        Path = path,
        ContextSize = contextSize,
        BatchSize = 512,
        Threads = 2,
        MaxTokens = 32,
        Temperature = 0,
    };
}
