using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OCI.Testing;

/// <summary>How <see cref="ScriptedOpenAIServer"/> answers chat requests.</summary>
public enum ScriptedServerMode
{
    /// <summary>Replies from the scripted client (SSE when the request asks to stream).</summary>
    Reply,
    /// <summary>Accepts the request and never answers (until the client gives up or the server is disposed).</summary>
    Hang,
    /// <summary>Answers HTTP 500 with an OpenAI-style error body.</summary>
    Fail,
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that speaks the OpenAI chat protocol — <c>POST /v1/chat/completions</c>
/// (JSON or server-sent events) and <c>GET /v1/models</c> — answering from a <see cref="ScriptedChatClient"/>. Lets tests
/// (and end-to-end runs of the real server process) exercise the OpenAI-compatible backend over real sockets.
/// <code>await using var server = await ScriptedOpenAIServer.StartAsync(scripted); // server.Endpoint = http://127.0.0.1:PORT/v1</code>
/// </summary>
public sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly IChatClient _model;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _chatRequests;

    private ScriptedOpenAIServer(HttpListener listener, IChatClient model, int port)
    {
        _listener = listener;
        _model = model;
        Port = port;
        Endpoint = $"http://127.0.0.1:{port}/v1";
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to configure: http://127.0.0.1:PORT/v1.</summary>
    public string Endpoint { get; }

    /// <summary>The model id reported by /v1/models and in replies.</summary>
    public string ModelId { get; init; } = "scripted";

    public ScriptedServerMode Mode { get; set; } = ScriptedServerMode.Reply;

    /// <summary>Chat completion requests received (retries included).</summary>
    public int ChatRequests => Volatile.Read(ref _chatRequests);

    /// <summary>The Authorization header of the last chat request (null when none was sent).</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>Raw JSON bodies of the chat requests, in order.</summary>
    public List<JsonNode> RequestBodies { get; } = [];

    /// <summary>Set when a streaming client went away before the reply was complete (the request was closed).</summary>
    public TaskCompletionSource ClientDisconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a server replying from <paramref name="model"/> (usually a <see cref="ScriptedChatClient"/>).</summary>
    public static Task<ScriptedOpenAIServer> StartAsync(IChatClient model, ScriptedServerMode mode = ScriptedServerMode.Reply)
    {
        ArgumentNullException.ThrowIfNull(model);
        // HttpListener cannot bind port 0: take a free port from the OS, then bind it (retrying if someone raced us).
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return Task.FromResult(new ScriptedOpenAIServer(listener, model, port) { Mode = mode });
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    /// <summary>A free loopback port with nothing listening on it (to test "server down").</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
            if (context.Request.HttpMethod == "GET" && path == "/v1/models")
            {
                await WriteJsonAsync(response, 200, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject { ["id"] = ModelId, ["object"] = "model", ["owned_by"] = "oci-tests" }),
                }).ConfigureAwait(false);
                return;
            }
            if (context.Request.HttpMethod != "POST" || path != "/v1/chat/completions")
            {
                await WriteJsonAsync(response, 404, Error($"no route {context.Request.HttpMethod} {path}", "not_found")).ConfigureAwait(false);
                return;
            }
            Interlocked.Increment(ref _chatRequests);
            LastAuthorization = context.Request.Headers["Authorization"];
            string bodyText;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                bodyText = await reader.ReadToEndAsync().ConfigureAwait(false);
            }
            var body = JsonNode.Parse(bodyText) ?? new JsonObject();
            lock (RequestBodies) RequestBodies.Add(body);

            switch (Mode)
            {
                case ScriptedServerMode.Hang:
                    try { await Task.Delay(Timeout.Infinite, _stopping.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                    response.Abort();
                    return;
                case ScriptedServerMode.Fail:
                    await WriteJsonAsync(response, 500, Error("scripted failure", "server_error")).ConfigureAwait(false);
                    return;
            }

            var messages = ParseMessages(body);
            var options = ParseOptions(body);
            var stream = body["stream"]?.GetValue<bool>() == true;
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (!stream)
            {
                // Through the streaming call, which is where ScriptedChatClient reports usage.
                var reply = await _model.GetStreamingResponseAsync(messages, options, _stopping.Token).ToChatResponseAsync(_stopping.Token).ConfigureAwait(false);
                var usage = reply.Usage;
                await WriteJsonAsync(response, 200, new JsonObject
                {
                    ["id"] = id,
                    ["object"] = "chat.completion",
                    ["created"] = created,
                    ["model"] = ModelId,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = Usage(usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0),
                }).ConfigureAwait(false);
                return;
            }

            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            response.SendChunked = true;
            var output = response.OutputStream;
            long inputTokens = 0, outputTokens = 0;
            try
            {
                var first = true;
                await foreach (var update in _model.GetStreamingResponseAsync(messages, options, _stopping.Token).ConfigureAwait(false))
                {
                    foreach (var u in update.Contents.OfType<UsageContent>())
                    {
                        inputTokens += u.Details.InputTokenCount ?? 0;
                        outputTokens += u.Details.OutputTokenCount ?? 0;
                    }
                    if (string.IsNullOrEmpty(update.Text)) continue;
                    var delta = new JsonObject { ["content"] = update.Text };
                    if (first) delta["role"] = "assistant";
                    first = false;
                    await WriteEventAsync(output, Chunk(id, created, delta, null)).ConfigureAwait(false);
                }
                var last = Chunk(id, created, new JsonObject(), "stop");
                last["usage"] = Usage(inputTokens, outputTokens);
                await WriteEventAsync(output, last).ConfigureAwait(false);
                await output.WriteAsync("data: [DONE]\n\n"u8.ToArray()).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client closed the request mid-stream.
                ClientDisconnected.TrySetResult();
                response.Abort();
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            ClientDisconnected.TrySetResult();
            try { response.Abort(); } catch (ObjectDisposedException) { }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            await WriteJsonAsync(response, 400, Error(e.Message, "invalid_request_error")).ConfigureAwait(false);
        }
    }

    /// <summary>Messages as the OpenAI protocol sends them: content is a string or a list of text parts.</summary>
    /// <summary>The request's sampling options, as the model behind the server sees them (scripted models may answer by seed).</summary>
    private static ChatOptions ParseOptions(JsonNode body) => new()
    {
        Temperature = body["temperature"]?.GetValue<float>(),
        TopP = body["top_p"]?.GetValue<float>(),
        Seed = body["seed"]?.GetValue<long>(),
        MaxOutputTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>(),
    };

    private static List<ChatMessage> ParseMessages(JsonNode body)
    {
        var messages = new List<ChatMessage>();
        foreach (var node in body["messages"]?.AsArray() ?? [])
        {
            if (node is null) continue;
            var role = node["role"]?.GetValue<string>() ?? "user";
            var content = node["content"];
            var text = content switch
            {
                JsonValue v => v.GetValue<string>(),
                JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
                _ => string.Empty,
            };
            messages.Add(new ChatMessage(new ChatRole(role == "developer" ? "system" : role), text));
        }
        return messages;
    }

    private JsonObject Chunk(string id, long created, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = ModelId,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static JsonObject Usage(long input, long output) => new()
    {
        ["prompt_tokens"] = input,
        ["completion_tokens"] = output,
        ["total_tokens"] = input + output,
    };

    private static JsonObject Error(string message, string type) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = null },
    };

    private static async Task WriteEventAsync(Stream output, JsonObject data)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes("data: " + data.ToJsonString() + "\n\n")).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, int status, JsonObject body)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _listener.Close();
        try { await _acceptLoop.ConfigureAwait(false); } catch (ObjectDisposedException) { }
        _stopping.Dispose();
    }
}
