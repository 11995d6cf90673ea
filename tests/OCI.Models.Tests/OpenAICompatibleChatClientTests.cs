using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Models.OpenAI;
using OCI.Testing;

namespace OCI.Models.Tests;

/// <summary>The OpenAI-compatible backend against a real loopback HTTP server replaying scripted replies.</summary>
public sealed class OpenAICompatibleChatClientTests
{
    private const string Reply = "public static int Add(int a, int b) => a + b;";

    private static OpenAICompatibleChatClient Client(string endpoint, int timeoutSeconds = 30, int retries = 0, string? keyVariable = null) =>
        OpenAICompatibleChatClient.Create(new ModelSettings
        {
            Backend = ModelBackend.OpenAI,
            Endpoint = endpoint,
            ModelName = "qwen-coder",
            RequestTimeoutSeconds = timeoutSeconds,
            MaxRetries = retries,
            ApiKeyEnvironmentVariable = keyVariable,
        }, NullLoggerFactory.Instance, firstRetryDelay: TimeSpan.FromMilliseconds(20));

    private static List<ChatMessage> Ask(string text = "Write Add.") => [new(ChatRole.System, "You write C#."), new(ChatRole.User, text)];

    [Fact]
    public async Task NonStreaming_ReturnsTheReplyAndUsage()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply));
        using var client = Client(server.Endpoint);
        var response = await client.GetResponseAsync(Ask(), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 100, StopSequences = ["```"] });
        Assert.Equal(Reply, response.Text);
        Assert.True(response.Usage!.InputTokenCount > 0);
        var body = Assert.Single(server.RequestBodies);
        Assert.Equal("qwen-coder", body["model"]!.GetValue<string>());
        Assert.Equal(2, body["messages"]!.AsArray().Count);
        Assert.Equal("Bearer " + OpenAICompatibleChatClient.PlaceholderApiKey, server.LastAuthorization);
    }

    [Fact]
    public async Task Streaming_DeliversChunks()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply));
        using var client = Client(server.Endpoint);
        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Ask()))
        {
            if (!string.IsNullOrEmpty(update.Text)) pieces.Add(update.Text);
        }
        Assert.True(pieces.Count > 1);
        Assert.Equal(Reply, string.Concat(pieces));
        Assert.True(server.RequestBodies[0]["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Conversation_SendsTheWholeHistoryEachTurn()
    {
        var scripted = new ScriptedChatClient(new ScriptedReply("first try"), new ScriptedReply("fixed", When: "CS0103"));
        await using var server = await ScriptedOpenAIServer.StartAsync(scripted);
        using var client = Client(server.Endpoint);
        var conversation = new ChatConversation(client, "You write C#.", new ChatOptions { Temperature = 0 });
        Assert.Equal("first try", (await conversation.SendAsync("Write Add.", null, CancellationToken.None)).Text);
        Assert.Equal("fixed", (await conversation.SendAsync("error CS0103: x does not exist", null, CancellationToken.None)).Text);
        Assert.Equal(4, scripted.Requests[1].Count);
    }

    [Fact]
    public async Task ApiKey_ComesFromTheNamedVariable()
    {
        var variable = "OCI_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-test-123");
        try
        {
            await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply));
            using var client = Client(server.Endpoint, keyVariable: variable);
            await client.GetResponseAsync(Ask());
            Assert.Equal("Bearer sk-test-123", server.LastAuthorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Cancellation_ClosesTheRequest()
    {
        var slow = new ScriptedChatClient(string.Concat(Enumerable.Repeat("token ", 200))) { ChunkDelay = TimeSpan.FromMilliseconds(50) };
        await using var server = await ScriptedOpenAIServer.StartAsync(slow);
        using var client = Client(server.Endpoint);
        using var cancellation = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Ask(), null, cancellation.Token))
            {
                if (!string.IsNullOrEmpty(update.Text) && ++pieces == 2) await cancellation.CancelAsync();
            }
        });
        // The server sees the connection go away long before the 200 chunks (10 s) would have been sent.
        await server.ClientDisconnected.Task.WaitAsync(OCI.Testing.TestWaits.Seconds(5));
    }

    [Fact]
    public async Task HangingServer_TimesOutWithAClearError()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply), ScriptedServerMode.Hang);
        using var client = Client(server.Endpoint, timeoutSeconds: 1);
        var error = await Assert.ThrowsAsync<ModelException>(() => client.GetResponseAsync(Ask()));
        Assert.Equal($"no answer from {server.Endpoint} within 1 s", error.Message);
    }

    [Fact]
    public async Task ServerError_IsRetriedThenReported()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply), ScriptedServerMode.Fail);
        using var client = Client(server.Endpoint, retries: 2);
        var error = await Assert.ThrowsAsync<ModelException>(() => client.GetResponseAsync(Ask()));
        Assert.Equal(3, server.ChatRequests);
        Assert.StartsWith($"{server.Endpoint} answered HTTP 500 (tried 3 times): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripted failure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_WhileStreaming_IsReported()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply), ScriptedServerMode.Fail);
        using var client = Client(server.Endpoint);
        var error = await Assert.ThrowsAsync<ModelException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Ask())) { }
        });
        Assert.StartsWith($"{server.Endpoint} answered HTTP 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_SaysConnectionRefused()
    {
        var endpoint = $"http://127.0.0.1:{ScriptedOpenAIServer.FreePort()}/v1";
        using var client = Client(endpoint, retries: 1);
        var error = await Assert.ThrowsAsync<ModelException>(() => client.GetResponseAsync(Ask()));
        Assert.Equal($"cannot reach {endpoint} : connection refused", error.Message);
        Assert.Equal(2, client.RequestsSent);
    }

    [Fact]
    public async Task ScriptedServer_ListsItsModel()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync(new ScriptedChatClient(Reply));
        using var http = new HttpClient();
        var models = await http.GetStringAsync(server.Endpoint + "/models");
        Assert.Contains("\"id\":\"scripted\"", models, StringComparison.Ordinal);
    }
}
