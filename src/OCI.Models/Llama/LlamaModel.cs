using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// One loaded GGUF (LLamaSharp's <see cref="LLamaWeights"/>) shared by every request and conversation: loading costs
/// seconds and gigabytes, so it happens once per path and parameters (see <see cref="LlamaModelCache"/>). Requests
/// are decoded together in one shared context (<see cref="LlamaScheduler"/>), each conversation a sequence of it.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private readonly ILogger _logger;

    private LlamaModel(string path, ModelSettings settings, GgufHeader header, LLamaWeights weights, ModelParams parameters,
        ChatPromptTemplate template, MemoryEstimate memory, ILogger logger)
    {
        Path = path;
        Settings = settings;
        Header = header;
        Weights = weights;
        Parameters = parameters;
        Template = template;
        Memory = memory;
        _logger = logger;
    }

    public string Path { get; }

    public ModelSettings Settings { get; }

    /// <summary>The GGUF header as read before loading (architecture, shape, chat template).</summary>
    public GgufHeader Header { get; }

    public string Architecture => Header.Architecture;

    /// <summary>Metadata as llama.cpp reports it after loading.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Weights.Metadata;

    public int VocabularySize => Weights.Vocab.Count;

    /// <summary>The context length the model was trained with.</summary>
    public int TrainedContextLength => Weights.ContextSize;

    /// <summary>The context one sequence (a conversation, a candidate) may fill.</summary>
    public uint ContextSize => Parameters.ContextSize ?? (uint)TrainedContextLength;

    /// <summary>Cells of the KV cache every sequence shares (<c>oci.model.kvCacheSize</c>; twice the context by default).</summary>
    public uint KvCacheSize => Settings.EffectiveKvCacheSize();

    public ChatPromptTemplate Template { get; }

    public MemoryEstimate Memory { get; }

    internal LLamaWeights Weights { get; }

    internal ModelParams Parameters { get; }

    internal int References;

    public IReadOnlyList<LLamaToken> Tokenize(string text, bool addBos = true, bool special = true) =>
        Weights.Tokenize(text, addBos, special, System.Text.Encoding.UTF8);

    public string Detokenize(IEnumerable<LLamaToken> tokens)
    {
        var decoder = new StreamingTokenDecoder(System.Text.Encoding.UTF8, Weights);
        foreach (var token in tokens) decoder.Add(token);
        return decoder.Read();
    }

    /// <summary>
    /// The one context every conversation of a client shares: a unified KV cache of <see cref="KvCacheSize"/> cells, so
    /// that forked sequences share their prompt's cells and any sequence may grow to <see cref="ContextSize"/>.
    /// </summary>
    internal BatchedExecutor CreateBatchedExecutor(int maxSequences)
    {
        var parameters = new ModelParams(Path)
        {
            ContextSize = KvCacheSize,
            BatchSize = Parameters.BatchSize,
            UBatchSize = Parameters.UBatchSize,
            GpuLayerCount = Parameters.GpuLayerCount,
            FlashAttention = Parameters.FlashAttention,
            SeqMax = (uint)maxSequences,
            KVUnified = true,
        };
        if (Parameters.Threads is { } threads) parameters.Threads = threads;
        return new BatchedExecutor(Weights, parameters);
    }

    /// <summary>Checks the file, estimates memory, configures the native library and loads the weights.</summary>
    public static LlamaModel Load(ModelSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<LlamaModel>();
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new ModelException("No model file configured: set oci.model.path to a GGUF file.");
        }
        var path = System.IO.Path.GetFullPath(settings.Path);
        if (!File.Exists(path)) throw new ModelException($"Model file not found: {path}");
        var header = GgufHeader.Read(path);
        _ = ChatPromptTemplate.Named(settings.FallbackChatTemplate); // a bad name is refused before the weights load
        if (settings.ContextSize < 16) throw new ModelException($"oci.model.contextSize {settings.ContextSize} is too small; use at least 512.");

        var memory = MemoryEstimate.For(header, new FileInfo(path).Length, settings.ContextSize, settings.GpuLayers, MemoryEstimate.AvailableHostBytes(), settings.EffectiveKvCacheSize());
        logger.LogInformation("Memory estimate for {Path}: {Estimate}", path, memory);
        if (!memory.Fits)
        {
            throw new ModelException(
                $"Not enough memory to load {System.IO.Path.GetFileName(path)} with a {settings.ContextSize}-token context: it needs about " +
                $"{MemoryEstimate.Format(memory.RequiredBytes)} ({MemoryEstimate.Format(memory.WeightBytes)} weights + {MemoryEstimate.Format(memory.KvCacheBytes)} KV cache), " +
                $"{MemoryEstimate.Format(memory.AvailableBytes)} is available. Use a smaller quantization, a smaller oci.model.contextSize, or GPU layers.");
        }

        NativeLibrarySetup.EnsureLoaded(loggerFactory);
        if (settings.GpuLayers > 0 && NativeLibrarySetup.BuildBackend == "Cpu")
        {
            logger.LogWarning("oci.model.gpuLayers = {GpuLayers} has no effect: this build uses the CPU backend (rebuild with -p:OciLlamaBackend=Cuda12)", settings.GpuLayers);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var parameters = new ModelParams(path)
        {
            ContextSize = settings.ContextSize,
            BatchSize = settings.BatchSize,
            UBatchSize = Math.Min(settings.BatchSize, 512u),
            GpuLayerCount = settings.GpuLayers,
            FlashAttention = settings.FlashAttention,
        };
        if (settings.Threads is int threads and > 0) parameters.Threads = threads;

        LLamaWeights weights;
        NativeLibrarySetup.TakeRecentErrors();
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException e)
        {
            var reasons = NativeLibrarySetup.TakeRecentErrors();
            var reason = reasons.FirstOrDefault(r => r.Contains("architecture", StringComparison.OrdinalIgnoreCase))
                         ?? reasons.LastOrDefault() ?? "see the log for llama.cpp's reason";
            var architectureHint = reasons.Any(r => r.Contains("architecture", StringComparison.OrdinalIgnoreCase))
                ? $"unsupported architecture '{header.Architecture}' ({reason})"
                : $"architecture '{header.Architecture}': {reason}";
            throw new ModelException($"llama.cpp could not load {System.IO.Path.GetFileName(path)}: {architectureHint}", e);
        }

        try
        {
            if (settings.ContextSize > weights.ContextSize && weights.ContextSize > 0)
            {
                logger.LogWarning("oci.model.contextSize {ContextSize} exceeds the {Trained} tokens {Path} was trained with; quality degrades past it",
                    settings.ContextSize, weights.ContextSize, path);
            }
            var template = ChatPromptTemplate.For(weights, header.ChatTemplate, settings.FallbackChatTemplate, logger);
            logger.LogInformation("Loaded {Path}: {Architecture}, {Parameters:N0} parameters, vocabulary {Vocab}, chat template {Template}",
                path, header.Architecture, weights.ParameterCount, weights.Vocab.Count, template.Name);
            return new LlamaModel(path, settings, header, weights, parameters, template, memory, logger);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Weights.Dispose();
    }
}
