using System.Globalization;

namespace OCI.Models.Llama;

/// <summary>
/// What loading a model and one conversation context will cost in host memory, estimated from the file size and the
/// GGUF shape before llama.cpp allocates anything (a failed native allocation kills the process; a refusal here
/// does not). The KV cache is f16: 2 (K and V) × layers × context × KV width × 2 bytes.
/// </summary>
public sealed record MemoryEstimate(long WeightBytes, long KvCacheBytesPerContext, long AvailableBytes)
{
    /// <summary>The shared KV cache every sequence lives in (<see cref="LlamaModel.KvCacheSize"/> cells).</summary>
    public long KvCacheBytes { get; init; } = KvCacheBytesPerContext;

    /// <summary>Scratch buffers and the runtime's own overhead, a rough allowance.</summary>
    public const long OverheadBytes = 64L * 1024 * 1024;

    public long RequiredBytes => WeightBytes + KvCacheBytes + OverheadBytes;

    public bool Fits => RequiredBytes <= AvailableBytes;

    /// <param name="kvCacheSize">Cells of the shared KV cache; null: one context's worth.</param>
    public static MemoryEstimate For(GgufHeader header, long fileBytes, uint contextSize, int gpuLayers, long availableBytes, uint? kvCacheSize = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var layers = header.GetArchitectureInteger("block_count") ?? 32;
        var embedding = header.GetArchitectureInteger("embedding_length") ?? 4096;
        var heads = Math.Max(1, header.GetArchitectureInteger("attention.head_count") ?? 32);
        var kvHeads = header.GetArchitectureInteger("attention.head_count_kv") ?? heads;
        var kvWidth = embedding * kvHeads / heads;
        var kvBytes = checked(2L * layers * contextSize * kvWidth * 2L);
        // Layers offloaded to the GPU live in VRAM, not host memory (VRAM is left to llama.cpp to check).
        var hostFraction = layers <= 0 ? 1.0 : 1.0 - Math.Clamp(gpuLayers, 0, (int)layers) / (double)layers;
        var perContext = (long)(kvBytes * hostFraction);
        return new MemoryEstimate((long)(fileBytes * hostFraction), perContext, availableBytes)
        {
            KvCacheBytes = (long)(perContext * ((double)(kvCacheSize ?? contextSize) / Math.Max(1, contextSize))),
        };
    }

    /// <summary>Memory the process may still use: MemAvailable from /proc/meminfo, else what the GC reports.</summary>
    public static long AvailableHostBytes()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib))
                    {
                        // A container limit (GC's view) can be lower than the machine's free memory.
                        var gc = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
                        return gc > 0 ? Math.Min(kib * 1024, gc) : kib * 1024;
                    }
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
    };

    public override string ToString() =>
        $"weights {Format(WeightBytes)} + shared KV cache {Format(KvCacheBytes)} ({Format(KvCacheBytesPerContext)} per full context) + {Format(OverheadBytes)} overhead = {Format(RequiredBytes)} (available {Format(AvailableBytes)})";
}
