using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// The process-wide set of loaded models, keyed by path and the parameters that shape the weights and contexts, so
/// that every client for the same model shares one <see cref="LlamaModel"/>. Reference counted: the weights are
/// freed when the last client is disposed.
/// </summary>
public static class LlamaModelCache
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, LlamaModel> Models = new(StringComparer.Ordinal);

    /// <summary>Loads the model or returns the loaded one, adding a reference; pair with <see cref="Release"/>.</summary>
    public static LlamaModel Acquire(ModelSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.Path)) return LlamaModel.Load(settings, loggerFactory); // throws the clear error
        var key = KeyOf(settings);
        lock (Gate)
        {
            if (!Models.TryGetValue(key, out var model))
            {
                model = LlamaModel.Load(settings, loggerFactory);
                Models[key] = model;
            }
            model.References++;
            return model;
        }
    }

    /// <summary>Drops a reference; the last one frees the weights.</summary>
    public static void Release(LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (Gate)
        {
            if (--model.References > 0) return;
            Models.Remove(KeyOf(model.Settings));
        }
        model.Dispose();
    }

    /// <summary>How many distinct models are loaded now.</summary>
    public static int LoadedCount
    {
        get { lock (Gate) return Models.Count; }
    }

    private static string KeyOf(ModelSettings s) =>
        string.Join('|', Path.GetFullPath(s.Path ?? string.Empty), s.GpuLayers, s.ContextSize, s.BatchSize, s.Threads, s.FlashAttention, s.FallbackChatTemplate);
}
