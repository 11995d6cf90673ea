using OCI.Models;

namespace OCI.Models.Tests;

/// <summary>The models layer's own rules for its settings: what each backend needs, named as the user sets it.</summary>
public sealed class ModelSettingsTests
{
    [Fact]
    public void No_backend_with_defaults_is_valid() => Assert.Null(new ModelSettings().Problem());

    [Fact]
    public void LlamaSharp_needs_a_path()
    {
        Assert.Equal("oci.model.path is required when oci.model.backend is llamaSharp", new ModelSettings { Backend = ModelBackend.LlamaSharp }.Problem());
        Assert.Null(new ModelSettings { Backend = ModelBackend.LlamaSharp, Path = "/models/m.gguf" }.Problem());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("localhost:8080/v1")]
    [InlineData("ftp://host/v1")]
    [InlineData("/v1")]
    public void OpenAI_needs_an_http_url(string? endpoint) =>
        Assert.Equal("oci.model.endpoint must be an absolute http:// or https:// URL when oci.model.backend is openAI",
            new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = endpoint }.Problem());

    [Fact]
    public void OpenAI_with_an_http_url_is_valid() =>
        Assert.Null(new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://127.0.0.1:8080/v1" }.Problem());

    [Fact]
    public void Limits_are_checked_whatever_the_backend()
    {
        Assert.Equal("oci.model.topP must be in (0, 1]", new ModelSettings { TopP = 0 }.Problem());
        Assert.Equal("oci.model.maxRetries must not be negative", new ModelSettings { MaxRetries = -1 }.Problem());
        Assert.Equal("oci.model.threads must be at least 1 (or absent)", new ModelSettings { Threads = 0 }.Problem());
    }

    [Fact]
    public void A_missing_gguf_file_is_known_before_loading()
    {
        Assert.Equal("Model file not found: /nonexistent/m.gguf (oci.model.path).",
            new ModelSettings { Backend = ModelBackend.LlamaSharp, Path = "/nonexistent/m.gguf" }.FileProblem());
        Assert.Null(new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://127.0.0.1:1/v1" }.FileProblem());
        var file = Path.GetTempFileName();
        try
        {
            Assert.Null(new ModelSettings { Backend = ModelBackend.LlamaSharp, Path = file }.FileProblem());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
