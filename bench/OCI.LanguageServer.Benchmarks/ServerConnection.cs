using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>
/// The server executable as a child process and a minimal LSP client on its stdio: framed JSON-RPC requests matched by
/// id, server → client requests answered (applyEdit: applied), notifications and stderr lines kept for inspection.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _notifications = [];
    private readonly List<string> _stderr = [];
    private readonly Task _readLoop;
    private readonly Task _stderrLoop;
    private int _nextId;

    private ServerConnection(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = new BufferedStream(process.StandardOutput.BaseStream);
        _readLoop = Task.Run(ReadLoopAsync);
        _stderrLoop = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_stderr)
                {
                    _stderr.Add(line);
                }
            }
        });
    }

    public static ServerConnection Start(string serverDll, string logLevel)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        start.Environment["OCI_LOG_LEVEL"] = logLevel;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new ServerConnection(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Called when a server → client request arrives, before it is answered (a benchmark times workspace/applyEdit).</summary>
    public Action<string, JsonObject>? ServerRequestReceived { get; set; }

    public int StderrCount
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.Count;
            }
        }
    }

    public int NotificationCount
    {
        get
        {
            lock (_notifications)
            {
                return _notifications.Count;
            }
        }
    }

    /// <summary>The notifications of <paramref name="method"/> received so far, in order.</summary>
    public IReadOnlyList<JsonObject> Notifications(string method)
    {
        lock (_notifications)
        {
            return _notifications.Where(n => (string?)n["method"] == method).ToList();
        }
    }

    public IReadOnlyList<string> StderrSince(int index)
    {
        lock (_stderr)
        {
            return _stderr.Skip(index).ToList();
        }
    }

    public string StderrTail(int lines = 40)
    {
        lock (_stderr)
        {
            return string.Join("\n", _stderr.TakeLast(lines));
        }
    }

    public async Task<JsonObject> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }).ConfigureAwait(false);
        try
        {
            return await response.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method} did not answer within {timeout.TotalSeconds:F0} s. Server log:\n{StderrTail()}");
        }
    }

    /// <summary>
    /// <c>initialize</c> on <paramref name="root"/> with no model (unless <paramref name="model"/> names one) and the given
    /// client capabilities, verification and refine settings, then <c>initialized</c>: the start every benchmark makes.
    /// Returns the initialize result (the server's capabilities).
    /// </summary>
    public async Task<JsonObject> InitializeAsync(string root, JsonObject capabilities, JsonObject verification, TimeSpan timeout, JsonObject? model = null, JsonObject? refine = null)
    {
        var options = new JsonObject
        {
            ["model"] = model ?? new JsonObject { ["backend"] = "none" },
            ["verification"] = verification,
        };
        if (refine is not null) options["refine"] = refine;
        var initialize = await RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = new Uri(root).AbsoluteUri,
            ["capabilities"] = capabilities,
            ["initializationOptions"] = options,
        }, timeout).ConfigureAwait(false);
        var result = initialize["result"] as JsonObject ?? throw new InvalidOperationException("initialize failed: " + initialize.ToJsonString());
        await NotifyAsync("initialized", new JsonObject()).ConfigureAwait(false);
        return result;
    }

    /// <summary>Waits for the server's "Loaded …" log line (the workspace is loaded); returns the line.</summary>
    public async Task<string> WaitForLoadedAsync(TimeSpan timeout)
    {
        var loaded = await WaitForNotificationAsync("window/logMessage",
            m => ((string?)m["params"]?["message"])?.StartsWith("Loaded ", StringComparison.Ordinal) == true, timeout).ConfigureAwait(false);
        return (string)loaded["params"]!["message"]!;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public async Task<JsonObject> WaitForNotificationAsync(string method, Func<JsonObject, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_notifications)
            {
                if (_notifications.FirstOrDefault(n => (string?)n["method"] == method && predicate(n)) is { } found)
                {
                    return found;
                }
            }
            if (_process.HasExited)
            {
                break;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        throw new TimeoutException($"no {method} notification as expected. Server log:\n{StderrTail()}");
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _input.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n")).ConfigureAwait(false);
            await _input.WriteAsync(body).ConfigureAwait(false);
            await _input.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var header = new StringBuilder();
        var one = new byte[1];
        try
        {
            while (true)
            {
                header.Clear();
                while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await _output.ReadAsync(one).ConfigureAwait(false) == 0)
                    {
                        return;
                    }
                    header.Append((char)one[0]);
                }
                var lengthLine = header.ToString().Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var body = new byte[int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
                await _output.ReadExactlyAsync(body).ConfigureAwait(false);
                await DispatchAsync(JsonNode.Parse(body)!.AsObject()).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
        {
        }
    }

    private async Task DispatchAsync(JsonObject message)
    {
        var method = (string?)message["method"];
        if (method is null)
        {
            if (message["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.Number && _pending.TryRemove((int)id, out var pending))
            {
                pending.TrySetResult(message);
            }
            return;
        }
        if (message["id"] is { } requestId)
        {
            ServerRequestReceived?.Invoke(method, message);
            JsonNode? result = method == "workspace/applyEdit" ? new JsonObject { ["applied"] = true } : null;
            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = result }).ConfigureAwait(false);
            return;
        }
        lock (_notifications)
        {
            _notifications.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the corpus benchmark ends a server explicitly and again through `await using`.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await RequestAsync("shutdown", null, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await NotifyAsync("exit", null).ConfigureAwait(false);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await Task.WhenAny(Task.WhenAll(_readLoop, _stderrLoop), Task.Delay(5000)).ConfigureAwait(false);
        _process.Dispose();
    }

    private int _disposed;
}
