using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Models.Llama;
using OCI.Models.OpenAI;
using OCI.Testing;

namespace OCI.Models.Tests;

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ChatModelFactoryTests
{
    [Fact]
    public void None_GivesNoClient() => Assert.Null(ChatModelFactory.Create(new ModelSettings(), NullLoggerFactory.Instance));

    [Fact]
    public void LlamaSharp_ClientsShareTheWeightsAndFreeThemWithTheLast()
    {
        var settings = TinyModels.Settings(TinyModels.Stories) with { ContextSize = 384 };
        var first = Assert.IsType<LlamaSharpChatClient>(ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
        var second = Assert.IsType<LlamaSharpChatClient>(ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
        Assert.Same(first.GetService<LlamaModel>(), second.GetService<LlamaModel>());
        first.Dispose();
        Assert.Equal(1, second.Model.References);
        second.Dispose();
        Assert.Equal(0, second.Model.References);
        var third = Assert.IsType<LlamaSharpChatClient>(ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
        Assert.NotSame(first.Model, third.Model);
        third.Dispose();
    }

    [Fact]
    public void OpenAI_NeedsAnEndpoint()
    {
        var error = Assert.Throws<ModelException>(() => ChatModelFactory.Create(new ModelSettings { Backend = ModelBackend.OpenAI }, NullLoggerFactory.Instance));
        Assert.Contains("oci.model.endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAI_NamedKeyVariableMustBeSet()
    {
        var settings = new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://127.0.0.1:1/v1", ApiKeyEnvironmentVariable = "OCI_TEST_KEY_THAT_IS_NOT_SET" };
        var error = Assert.Throws<ModelException>(() => ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
        Assert.Equal("The API key variable OCI_TEST_KEY_THAT_IS_NOT_SET (oci.model.apiKeyEnvironmentVariable) is not set in the server's environment.", error.Message);
    }

    [Fact]
    public void OpenAI_RejectsANonHttpEndpoint()
    {
        var settings = new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "ftp://example/v1" };
        Assert.Throws<ModelException>(() => ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
        settings = settings with { Endpoint = "http://127.0.0.1:8080/v1" };
        Assert.IsType<OpenAICompatibleChatClient>(ChatModelFactory.Create(settings, NullLoggerFactory.Instance));
    }
}
