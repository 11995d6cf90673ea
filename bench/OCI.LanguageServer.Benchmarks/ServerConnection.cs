using System.Diagnostics;
using System.Text.Json.Nodes;
using OCI.Testing;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>
/// The server executable as a child process, spoken to through the tests' LSP client (<see cref="LspTestClient"/>:
/// framing, ids, server → client requests answered, applyEdit as applied) on its stdio; stderr lines kept for
/// inspection, and the server's log added to every timeout.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LspTestClient _client;
    private readonly List<string> _stderr = [];
    private readonly Task _stderrLoop;
    private int _disposed;

    private ServerConnection(Process process)
    {
        _process = process;
        _client = new LspTestClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream)
        {
            ServerRequestHandler = (method, parameters) =>
            {
                ServerRequestReceived?.Invoke(method, parameters);
                return method == "workspace/applyEdit" ? new JsonObject { ["applied"] = true } : null;
            },
        };
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
    public Action<string, JsonNode?>? ServerRequestReceived { get; set; }

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

    public int NotificationCount => _client.Received.Count(m => m["method"] is not null && m["id"] is null);

    /// <summary>The notifications of <paramref name="method"/> received so far, in order.</summary>
    public IReadOnlyList<JsonObject> Notifications(string method) =>
        _client.Received.Where(m => m["id"] is null && (string?)m["method"] == method).ToList();

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
        try
        {
            return await _client.RequestAsync(method, parameters, timeout).ConfigureAwait(false);
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
        var initialize = _client.InitializeWithAsync(new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = new Uri(root).AbsoluteUri,
            ["capabilities"] = capabilities,
            ["initializationOptions"] = options,
        });
        if (await Task.WhenAny(initialize, Task.Delay(timeout)).ConfigureAwait(false) != initialize)
            throw new TimeoutException($"initialize did not answer within {timeout.TotalSeconds:F0} s. Server log:\n{StderrTail()}");
        return await initialize.ConfigureAwait(false);
    }

    /// <summary>Waits for the server's "Loaded …" log line (the workspace is loaded); returns the line.</summary>
    public async Task<string> WaitForLoadedAsync(TimeSpan timeout)
    {
        var loaded = await WaitForNotificationAsync("window/logMessage",
            m => ((string?)m["params"]?["message"])?.StartsWith("Loaded ", StringComparison.Ordinal) == true, timeout).ConfigureAwait(false);
        return (string)loaded["params"]!["message"]!;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) => _client.NotifyAsync(method, parameters);

    public async Task<JsonObject> WaitForNotificationAsync(string method, Func<JsonObject, bool> predicate, TimeSpan timeout)
    {
        try
        {
            return await _client.WaitForNotificationAsync(method, predicate, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            throw new TimeoutException($"no {method} notification as expected. Server log:\n{StderrTail()}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: the corpus benchmark ends a server explicitly and again through `await using`.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _client.RequestAsync("shutdown", null, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await _client.NotifyAsync("exit", null).ConfigureAwait(false);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _client.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAny(_stderrLoop, Task.Delay(5000)).ConfigureAwait(false);
        _process.Dispose();
    }
}
