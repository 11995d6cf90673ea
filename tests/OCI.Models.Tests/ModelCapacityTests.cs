namespace OCI.Models.Tests;

/// <summary>What the status says the shared KV cache sustains.</summary>
public sealed class ModelCapacityTests
{
    [Fact]
    public void TheDefaultCacheSustainsFiveCandidatesOfAFullLengthPrompt()
    {
        // 8192 cells (twice the 4096 context): a 3072-token prompt once, then 1024 tokens per candidate.
        var settings = new ModelSettings { Backend = ModelBackend.LlamaSharp, Path = "m.gguf" };
        Assert.Equal(8192u, settings.EffectiveKvCacheSize());
        Assert.Equal(5, ModelCapacity.SustainedCandidates(settings));
        Assert.Equal(ModelCapacity.MaxCandidates, ModelCapacity.SustainedCandidates(settings with { KvCacheSize = 1_000_000 }));
        Assert.Equal(1, ModelCapacity.SustainedCandidates(settings with { KvCacheSize = 4096 }));
        Assert.Contains("4 candidates per round (the KV cache sustains 5)", ModelCapacity.Describe(null, settings, 4), StringComparison.Ordinal);
    }

    [Fact]
    public void AKvCacheSmallerThanTheContextIsRefused()
    {
        var settings = new ModelSettings { Backend = ModelBackend.LlamaSharp, Path = "m.gguf", KvCacheSize = 1024 };
        Assert.Equal("oci.model.kvCacheSize must be at least oci.model.contextSize", settings.Problem());
        Assert.Equal("", ModelCapacity.Describe(null, settings with { Backend = ModelBackend.OpenAI, Endpoint = "http://x/v1" }, 4));
    }
}
