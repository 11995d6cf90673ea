using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OCI.LanguageServer.Protocol;

namespace OCI.Testing;

/// <summary>
/// The LSP client of the tests and the benchmarks, written independently of the server's code (it shares only the
/// method names, <see cref="LspMethods"/>): base-protocol framing, requests with ids, notifications, and server → client
/// requests answered by <see cref="ServerRequestHandler"/>. Everything the server sends is recorded so that a caller
/// can wait for it.
/// </summary>
public sealed class LspTestClient : IAsyncDisposable
{
    public static TimeSpan DefaultTimeout => TestWaits.Seconds(15);

    private readonly Stream _toServer;
    private readonly Stream _fromServer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _received = [];
    private readonly SemaphoreSlim _receivedSignal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private int _nextId;

    public LspTestClient(Stream toServer, Stream fromServer)
    {
        _toServer = toServer;
        _fromServer = fromServer;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Answers server → client requests; returns the result (null for JSON null). Throwing answers an error.</summary>
    public Func<string, JsonNode?, JsonNode?> ServerRequestHandler { get; set; } = (_, _) => null;

    /// <summary>Completes when the server closes its output.</summary>
    public Task Completion => _readLoop;

    public IReadOnlyList<JsonObject> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public IReadOnlyList<JsonObject> Notifications(string method) =>
        Received.Where(m => (string?)m["method"] == method && m["id"] is null).ToList();

    public IReadOnlyList<JsonObject> ServerRequests(string method) =>
        Received.Where(m => (string?)m["method"] == method && m["id"] is not null).ToList();

    public Task<JsonObject> InitializeAsync(JsonObject? capabilities = null, JsonNode? initializationOptions = null, string? rootUri = null) =>
        InitializeWithAsync(new JsonObject
        {
            ["processId"] = null,
            ["rootUri"] = rootUri,
            ["capabilities"] = capabilities ?? new JsonObject(),
            ["initializationOptions"] = initializationOptions,
        });

    public async Task<JsonObject> InitializeWithAsync(JsonObject parameters)
    {
        var response = await RequestAsync(LspMethods.Initialize, parameters);
        if (response["result"] is not JsonObject) throw new InvalidOperationException($"initialize failed: {response.ToJsonString()}");
        await NotifyAsync(LspMethods.Initialized, new JsonObject());
        return (JsonObject)response["result"]!;
    }

    /// <summary>Sends a request and waits for its response (the whole response object).</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonNode? parameters = null, TimeSpan? timeout = null)
    {
        var (id, response) = await SendRequestAsync(method, parameters);
        return await WaitAsync(response, timeout, $"response to {method} (id {id})");
    }

    public async Task<(int Id, Task<JsonObject> Response)> SendRequestAsync(string method, JsonNode? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }
        await SendAsync(message);
        return (id, response.Task);
    }

    /// <summary>Registers interest in the response to an id the test sends itself (in raw bytes).</summary>
    public Task<JsonObject> ExpectResponse(JsonNode id)
    {
        var response = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[Key(id)] = response;
        return response.Task;
    }

    public Task NotifyAsync(string method, JsonNode? parameters = null)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }
        return SendAsync(message);
    }

    public Task SendAsync(JsonNode message) => SendBodyAsync(Encoding.UTF8.GetBytes(message.ToJsonString()));

    public Task SendBodyAsync(byte[] body) =>
        SendRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);

    public async Task SendRawAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _toServer.WriteAsync(bytes);
            await _toServer.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Waits until a received message satisfies <paramref name="predicate"/>; fails at once when the server has closed
    /// its output without sending one (nothing more can come).
    /// </summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var closed = _readLoop.IsCompleted; // read before the messages: every message came before the close
            var match = Received.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }
            if (closed)
            {
                throw new IOException($"The server closed its output before {what}.");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Received:\n{string.Join("\n", Received.Select(m => m.ToJsonString()))}");
            }
            await _receivedSignal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public Task<JsonObject> WaitForNotificationAsync(string method, Func<JsonObject, bool>? predicate = null, TimeSpan? timeout = null) =>
        WaitForAsync(m => (string?)m["method"] == method && m["id"] is null && (predicate?.Invoke(m) ?? true), $"notification {method}", timeout);

    public static async Task<JsonObject> WaitAsync(Task<JsonObject> task, TimeSpan? timeout, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout ?? DefaultTimeout));
        if (finished != task)
        {
            throw new TimeoutException($"Timed out waiting for {what}");
        }
        return await task;
    }

    public async Task CloseInputAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _toServer.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var message = TryTakeMessage(buffer);
                if (message is not null)
                {
                    await OnMessageAsync(message);
                    continue;
                }
                var read = await _fromServer.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new IOException("The server closed its output."));
            }
        }
    }

    private static JsonObject? TryTakeMessage(List<byte> buffer)
    {
        var bytes = buffer.ToArray();
        var headerEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return null;
        }
        var header = Encoding.ASCII.GetString(bytes, 0, headerEnd);
        var lengthLine = header.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (bytes.Length < headerEnd + 4 + length)
        {
            return null;
        }
        var body = Encoding.UTF8.GetString(bytes, headerEnd + 4, length);
        buffer.RemoveRange(0, headerEnd + 4 + length);
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task OnMessageAsync(JsonObject message)
    {
        lock (_received)
        {
            _received.Add(message);
        }
        _receivedSignal.Release();
        var hasMethod = message["method"] is not null;
        if (!hasMethod && message.ContainsKey("id") && _pending.TryRemove(Key(message["id"]), out var pending))
        {
            pending.TrySetResult(message);
            return;
        }
        if (hasMethod && message["id"] is { } id)
        {
            JsonObject reply;
            try
            {
                var result = ServerRequestHandler((string)message["method"]!, message["params"]?.DeepClone());
                reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result };
            }
            catch (Exception ex)
            {
                reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["error"] = new JsonObject { ["code"] = -32603, ["message"] = ex.Message } };
            }
            await SendAsync(reply);
        }
    }

    private static string Key(JsonNode? id) => id is null ? "null" : id.GetValueKind() == JsonValueKind.String ? "s:" + (string)id! : id.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _readLoop;
        }
        catch
        {
        }
        _stop.Dispose();
    }
}
