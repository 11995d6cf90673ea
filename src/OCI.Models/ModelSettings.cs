namespace OCI.Models;

/// <summary>Which model backend serves chat requests.</summary>
public enum ModelBackend
{
    /// <summary>No model configured: only Roslyn's own fixes are offered.</summary>
    None,
    /// <summary>A GGUF file loaded in-process with LLamaSharp.</summary>
    LlamaSharp,
    /// <summary>Any OpenAI-compatible /v1/chat/completions server (llama-server, Ollama, vLLM).</summary>
    OpenAI,
}

/// <summary>
/// Settings of the model layer (section <c>oci.model</c> of schemas/settings.schema.json). Plain and serialisable,
/// in the manner of LLamaSharp's ModelParams; one record drives every backend.
/// </summary>
public sealed record ModelSettings
{
    public ModelBackend Backend { get; init; } = ModelBackend.None;

    /// <summary>Path of the GGUF file (LlamaSharp backend).</summary>
    public string? Path { get; init; }

    /// <summary>Layers offloaded to the GPU (needs the Cuda12 build); 0 = CPU only.</summary>
    public int GpuLayers { get; init; }

    public uint ContextSize { get; init; } = 4096;

    /// <summary>
    /// Tokens the one KV cache shared by every conversation and candidate holds (forked candidates share their prompt's
    /// cells); null: twice <see cref="ContextSize"/>.
    /// </summary>
    public uint? KvCacheSize { get; init; }

    /// <summary><see cref="KvCacheSize"/>, or twice the context when not set (never less than one context).</summary>
    public uint EffectiveKvCacheSize() => (uint)Math.Min(uint.MaxValue, Math.Max(KvCacheSize ?? 2L * ContextSize, ContextSize));

    public uint BatchSize { get; init; } = 512;

    /// <summary>CPU threads; null lets llama.cpp choose.</summary>
    public int? Threads { get; init; }

    public bool FlashAttention { get; init; }

    /// <summary>Template used when the GGUF has no tokenizer.chat_template: chatml, llama3, llama2, phi3, alpaca.</summary>
    public string FallbackChatTemplate { get; init; } = "chatml";

    /// <summary>Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Model name sent to the OpenAI-compatible server.</summary>
    public string? ModelName { get; init; }

    /// <summary>Name of the environment variable that holds the API key (the key itself never sits in settings).</summary>
    public string? ApiKeyEnvironmentVariable { get; init; }

    public int RequestTimeoutSeconds { get; init; } = 300;

    public int MaxRetries { get; init; } = 2;

    public float Temperature { get; init; }

    public float TopP { get; init; } = 1.0f;

    public int Seed { get; init; } = 42;

    public int MaxTokens { get; init; } = 1024;

    /// <summary>
    /// What makes these settings unusable, as one sentence that names the setting (<c>oci.model.*</c>); null when they
    /// are valid for their backend. The models layer owns these rules; the server asks before it takes new settings,
    /// so invalid settings never replace valid ones. (The GGUF file's presence is <see cref="FileProblem"/>.)
    /// </summary>
    public string? Problem()
    {
        if (ContextSize < 1) return "oci.model.contextSize must be at least 1";
        if (BatchSize < 1) return "oci.model.batchSize must be at least 1";
        if (KvCacheSize is { } kv && kv < ContextSize) return "oci.model.kvCacheSize must be at least oci.model.contextSize";
        if (GpuLayers < 0) return "oci.model.gpuLayers must not be negative";
        if (Threads is < 1) return "oci.model.threads must be at least 1 (or absent)";
        if (MaxTokens < 1) return "oci.model.maxTokens must be at least 1";
        if (RequestTimeoutSeconds < 1) return "oci.model.requestTimeoutSeconds must be at least 1";
        if (MaxRetries < 0) return "oci.model.maxRetries must not be negative";
        if (Temperature < 0 || float.IsNaN(Temperature)) return "oci.model.temperature must not be negative";
        if (TopP is <= 0 or > 1 || float.IsNaN(TopP)) return "oci.model.topP must be in (0, 1]";
        return Backend switch
        {
            ModelBackend.LlamaSharp when string.IsNullOrWhiteSpace(Path) => "oci.model.path is required when oci.model.backend is llamaSharp",
            ModelBackend.OpenAI when !IsHttpUrl(Endpoint) => "oci.model.endpoint must be an absolute http:// or https:// URL when oci.model.backend is openAI",
            _ => null,
        };
    }

    /// <summary>
    /// A problem known before the model loads (loading is lazy): the GGUF file of the LLamaSharp backend is not set or
    /// not there. Null for the other backends and for a file that exists.
    /// </summary>
    public string? FileProblem()
    {
        if (Backend != ModelBackend.LlamaSharp) return null;
        if (string.IsNullOrWhiteSpace(Path)) return "oci.model.path is not set: point it at a GGUF file.";
        return File.Exists(Path) ? null : $"Model file not found: {Path} (oci.model.path).";
    }

    /// <summary>An absolute http:// or https:// URL: what names an OpenAI-compatible server (settings and <c>--model</c>).</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// The model's name wherever one is shown (status, trajectories, benchmark reports; a method, so settings JSON never carries it): the GGUF file name or the
    /// OpenAI model name; null when none is set. Callers add their own context (endpoint, CPU/GPU) around it.
    /// </summary>
    public string? DisplayName() => Backend switch
    {
        ModelBackend.LlamaSharp => Path is null ? null : System.IO.Path.GetFileName(Path),
        ModelBackend.OpenAI => ModelName,
        _ => null,
    };
}
