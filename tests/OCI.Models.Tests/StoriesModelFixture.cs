using OCI.Models.Llama;

namespace OCI.Models.Tests;

/// <summary>stories260K loaded once for a test class (loading is shared, each test makes its own client).</summary>
public sealed class StoriesModelFixture : IDisposable
{
    internal ListLoggerFactory Logs { get; } = new();

    public StoriesModelFixture() => Model = LlamaModel.Load(TinyModels.Settings(TinyModels.Stories), Logs);

    public LlamaModel Model { get; }

    public void Dispose() => Model.Dispose();
}
