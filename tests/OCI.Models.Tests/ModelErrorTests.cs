using Microsoft.Extensions.Logging.Abstractions;
using OCI.Models.Llama;
using OCI.Models.Tests.Support;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>Every way loading a GGUF can go wrong ends in one clear <see cref="ModelException"/> line.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ModelErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oci-models-").FullName;

    private static ModelException LoadFails(ModelSettings settings) =>
        Assert.Throws<ModelException>(() => ChatModelFactory.Create(settings, NullLoggerFactory.Instance));

    [Fact]
    public void MissingFile()
    {
        var path = Path.Combine(_directory, "absent.gguf");
        var error = LoadFails(TinyModels.Settings(path));
        Assert.Equal($"Model file not found: {path}", error.Message);
    }

    [Fact]
    public void NoPathConfigured()
    {
        var error = LoadFails(new ModelSettings { Backend = ModelBackend.LlamaSharp });
        Assert.Contains("oci.model.path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsNotGguf()
    {
        var path = Path.Combine(_directory, "model.gguf");
        File.WriteAllText(path, "this is a text file, not weights");
        var error = LoadFails(TinyModels.Settings(path));
        Assert.Equal($"{path} is not a GGUF model file (it does not start with the GGUF magic bytes).", error.Message);
    }

    [Fact]
    public void TruncatedGguf()
    {
        var path = Path.Combine(_directory, "truncated.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(TinyModels.Stories)[..200]);
        var error = LoadFails(TinyModels.Settings(path));
        Assert.Contains("truncated GGUF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedArchitecture()
    {
        // stories260K with general.architecture rewritten to one llama.cpp does not know (the file stays valid GGUF).
        var path = Path.Combine(_directory, "zzzzz.gguf");
        GgufRewriter.WriteWithStrings(TinyModels.Stories, path, new Dictionary<string, string> { ["general.architecture"] = "zzzzz" });

        Assert.Equal("zzzzz", GgufHeader.Read(path).Architecture);
        var error = LoadFails(TinyModels.Settings(path));
        Assert.StartsWith("llama.cpp could not load zzzzz.gguf: unsupported architecture 'zzzzz'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfMemory_IsRefusedBeforeLoading()
    {
        // A 2-billion-token context needs a KV cache of about a terabyte: refused by the estimate, not by a native crash.
        var error = LoadFails(TinyModels.Settings(TinyModels.Stories, contextSize: 2_000_000_000));
        Assert.StartsWith("Not enough memory to load stories260K.gguf with a 2000000000-token context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryEstimate_CountsWeightsAndKvCache()
    {
        var header = GgufHeader.Read(TinyModels.Stories);
        var estimate = MemoryEstimate.For(header, 1_000_000, contextSize: 512, gpuLayers: 0, availableBytes: long.MaxValue);
        var layers = header.GetArchitectureInteger("block_count")!.Value;
        var width = header.GetArchitectureInteger("embedding_length")!.Value * header.GetArchitectureInteger("attention.head_count_kv")!.Value
                    / header.GetArchitectureInteger("attention.head_count")!.Value;
        Assert.Equal(2 * layers * 512 * width * 2, estimate.KvCacheBytesPerContext);
        Assert.Equal(1_000_000, estimate.WeightBytes);
        Assert.False((estimate with { AvailableBytes = 1000 }).Fits);
    }

    [Fact]
    public void UnknownFallbackTemplate()
    {
        var error = LoadFails(TinyModels.Settings(TinyModels.Stories) with { FallbackChatTemplate = "vicuna" });
        Assert.Equal("Unknown chat template 'vicuna'; use one of chatml, llama3, llama2, phi3, alpaca.", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
