using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OCI.TestHost;

/// <summary>
/// Runs one Microsoft.Testing.Platform test application in the platform's server mode (<c>--server</c>: JSON-RPC over
/// TCP, the protocol IDEs use) and reports each finished test as a host <c>result</c> event, then <c>done</c>.
/// Why server mode: it is the platform's structured result channel that works in-process for every framework. The TRX
/// report extension, the other structured source, starts the application a second time as its own out-of-process
/// controller, which doubled a round's cost (about 0.5 s more per application).
/// Why here, in the test host: generated code runs in a sandbox without network, and only a process inside that
/// sandbox can reach the application's socket (the sandbox's own loopback). This process runs beside the application
/// in the sandbox, speaks the protocol, and prints the host protocol's events on stdout, which the caller reads as it
/// reads the warm host's. The application's own console output is captured (bounded) and returned with <c>done</c>.
/// Two modes: the warm host's request of applications (<see cref="RunAllAsync"/>: no process start for this side), and
/// one-shot, <c>--mtp-client &lt;assembly&gt; [--request-filter F] -- &lt;application arguments&gt;</c>, whose exit code is
/// the application's (the platform's documented codes), or 1 when it could not be run.
/// </summary>
internal static class PlatformServerClient
{
    private const string ProtocolVersion = "1.0.0";

    /// <summary>The one-shot mode (<c>--mtp-client</c>): one application, then <c>done</c>; exits with its exit code.</summary>
    public static async Task<int> RunAsync(string[] arguments, Action<TestHostEvent> emit)
    {
        var separator = Array.IndexOf(arguments, "--");
        var own = separator < 0 ? arguments : arguments[..separator];
        var forwarded = separator < 0 ? [] : arguments[(separator + 1)..];
        if (own.Length == 0)
        {
            emit(new TestHostEvent("message", Message: "--mtp-client needs the test application's assembly"));
            emit(new TestHostEvent("done", Unloaded: true));
            return 1;
        }
        RoundProcesses.BecomeSubreaper();
        var (exitCode, output) = await RunApplicationAsync(new PlatformApplicationRequest(own[0], forwarded, OptionValue(own, "--request-filter")), emit).ConfigureAwait(false);
        var survivors = RoundProcesses.LiveDescendants();
        emit(new TestHostEvent("done", Output: output.Length == 0 ? null : output, Unloaded: true, Survivors: survivors.Count == 0 ? null : survivors));
        return exitCode;
    }

    /// <summary>
    /// The warm host's request of test applications: all at once, each reported by its results and an
    /// <c>application</c> event; the caller emits <c>done</c>. The host is already warm, so no process starts for the
    /// client's side of the protocol.
    /// </summary>
    public static async Task RunAllAsync(IReadOnlyList<PlatformApplicationRequest> applications, Action<TestHostEvent> emit)
    {
        await Task.WhenAll(applications.Select(async application =>
        {
            // Each application's own failed tests go with its end: an exit code of failed tests is only ordinary when the
            // same application reported a failure (another application's failures do not explain it).
            var failed = 0;
            var (exitCode, output) = await RunApplicationAsync(application, e =>
            {
                if (e is { Event: "result", Outcome: "Failed" }) Interlocked.Increment(ref failed);
                emit(e);
            }).ConfigureAwait(false);
            emit(new TestHostEvent("application", Name: application.Assembly, Output: output.Length == 0 ? null : output, ExitCode: exitCode, Failed: Volatile.Read(ref failed)));
        })).ConfigureAwait(false);
    }

    /// <summary>Runs one application in server mode; its exit code (1 when it could not be started) and its console output.</summary>
    private static async Task<(int ExitCode, string Output)> RunApplicationAsync(PlatformApplicationRequest request, Action<TestHostEvent> emit)
    {
        var assembly = Path.GetFullPath(request.Assembly);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Process? running = null;
        var output = new OutputCapture(characters =>
        {
            // The code under test floods its output: stopped now, not at the caller's timeout.
            emit(new TestHostEvent("flood", Characters: characters));
            try { running?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", assembly, "--server", "--client-host", "127.0.0.1", "--client-port", port.ToString(CultureInfo.InvariantCulture), .. request.Arguments])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        using var application = new Process { StartInfo = start, EnableRaisingEvents = true };
        // The platform's own "Connecting to client host …" line is about us, not the tests.
        application.OutputDataReceived += (_, e) => { if (e.Data is not null && !e.Data.StartsWith("Connecting to client host ", StringComparison.Ordinal)) output.WriteLine(e.Data); };
        application.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        try
        {
            application.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            emit(new TestHostEvent("message", Message: "could not start the test application: " + e.Message));
            return (1, output.Take());
        }
        running = application;
        application.StandardInput.Close(); // code under test reading stdin sees end of input
        application.BeginOutputReadLine();
        application.BeginErrorReadLine();

        var exited = application.WaitForExitAsync();
        var accepting = listener.AcceptTcpClientAsync();
        if (await Task.WhenAny(accepting, exited).ConfigureAwait(false) != accepting)
        {
            // It exited without connecting: an option it does not know, a missing runtime, a crash at start.
            await exited.ConfigureAwait(false);
            emit(new TestHostEvent("message", Message: $"{Path.GetFileNameWithoutExtension(assembly)}: the test application exited with code {application.ExitCode} before it connected in server mode"));
            return (application.ExitCode, output.Take());
        }

        using (var client = await accepting.ConfigureAwait(false))
        {
            await ConverseAsync(new Connection(client.GetStream()), request.RequestFilter, emit).ConfigureAwait(false);
        }
        // The application ends once its one request is answered; one that does not is ended here (the caller's
        // timeout is the backstop for one that never answers).
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) != exited)
        {
            emit(new TestHostEvent("message", Message: $"{Path.GetFileNameWithoutExtension(assembly)}: the test application did not exit after its run; it was stopped"));
            try { application.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await exited.ConfigureAwait(false);
        }
        else
        {
            application.WaitForExit(); // drains the output events
        }
        return (application.ExitCode, output.Take());
    }

    /// <summary>initialize, one testing/runTests, the updates until its answer, then exit.</summary>
    private static async Task ConverseAsync(Connection connection, string? requestFilter, Action<TestHostEvent> emit)
    {
        var runId = Guid.NewGuid().ToString();
        await connection.SendAsync(Request(1, "initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["clientInfo"] = new JsonObject { ["name"] = "oci-testhost", ["version"] = ProtocolVersion },
            ["capabilities"] = new JsonObject { ["testing"] = new JsonObject { ["debuggerProvider"] = false } },
        })).ConfigureAwait(false);

        var finished = false;
        while (!finished && await connection.ReadAsync().ConfigureAwait(false) is { } message)
        {
            var id = message["id"]?.GetValueKind() == JsonValueKind.Number ? message["id"]!.GetValue<int>() : (int?)null;
            var method = message["method"]?.GetValue<string>();
            if (id == 1 && method is null)
            {
                if (message["error"] is { } error)
                {
                    emit(new TestHostEvent("message", Message: "the test application refused the client: " + ErrorText(error)));
                    return;
                }
                var run = new JsonObject { ["runId"] = runId };
                if (requestFilter is not null) run["filter"] = requestFilter;
                await connection.SendAsync(Request(2, "testing/runTests", run)).ConfigureAwait(false);
            }
            else if (id == 2 && method is null)
            {
                if (message["error"] is { } error) emit(new TestHostEvent("message", Message: "the test run failed: " + ErrorText(error)));
                finished = true;
            }
            else if (method == "testing/testUpdates/tests" && message["params"]?["changes"] is JsonArray changes)
            {
                foreach (var change in changes)
                {
                    if (change?["node"] is JsonObject node && ToEvent(node) is { } e) emit(e);
                }
            }
            else if (method is not null && id is not null)
            {
                // A request of the server's (client/attachDebugger, …): we offer none of these.
                await connection.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "not supported" } }).ConfigureAwait(false);
            }
        }
        if (!finished) return;
        try
        {
            await connection.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "exit", ["params"] = new JsonObject() }).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // It closed the connection itself.
        }
    }

    /// <summary>
    /// A finished test node as a host result: the name as <c>dotnet test</c>'s report gives it (the class qualifies a
    /// display name that is only the method), the outcome, and the failure's message with the assertion's expected and
    /// actual values where the framework sends them apart from the message.
    /// </summary>
    internal static TestHostEvent? ToEvent(JsonObject node)
    {
        if (Text(node, "node-type") is { } type && type != "action") return null;
        var state = Text(node, "execution-state");
        var outcome = state switch
        {
            "passed" => "Passed",
            "failed" or "error" or "timed-out" => "Failed",
            "skipped" => "Skipped",
            "cancelled" => "NotRun",
            "in-progress" => null,
            _ => null,
        };
        var display = Text(node, "display-name") ?? Text(node, "uid") ?? "(unnamed test)";
        var className = Text(node, "location.type");
        var name = className is { Length: > 0 } && !display.StartsWith(className + ".", StringComparison.Ordinal) ? className + "." + display : display;
        if (state == "in-progress") return new TestHostEvent("start", Name: name);
        if (outcome is null) return null;

        var message = Text(node, "error.message");
        var expected = Text(node, "assert.expected");
        var actual = Text(node, "assert.actual");
        if (expected is { Length: > 0 } || actual is { Length: > 0 })
        {
            var missing = new StringBuilder();
            if (expected is { Length: > 0 } && message?.Contains(expected, StringComparison.Ordinal) != true) missing.Append("Expected: ").Append(expected).Append('\n');
            if (actual is { Length: > 0 } && message?.Contains(actual, StringComparison.Ordinal) != true) missing.Append("Actual:   ").Append(actual).Append('\n');
            if (missing.Length > 0) message = (message is { Length: > 0 } ? message.TrimEnd() + "\n" : "") + missing.ToString().TrimEnd();
        }
        if (state == "timed-out") message = "timed out" + (message is { Length: > 0 } ? ": " + message : "");
        var output = string.Concat(Text(node, "standardOutput") ?? "", Text(node, "standardError") is { Length: > 0 } error ? "\n" + error : "");
        var seconds = node["time.duration-ms"]?.GetValueKind() == JsonValueKind.Number ? node["time.duration-ms"]!.GetValue<double>() / 1000 : (double?)null;
        return new TestHostEvent("result", Name: name, Outcome: outcome, Message: message, StackTrace: Text(node, "error.stacktrace"),
            Output: output.Length == 0 ? null : output, Seconds: seconds);
    }

    private static string? Text(JsonObject node, string property) =>
        node[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string ErrorText(JsonNode error) => error["message"]?.ToString() ?? error.ToJsonString();

    private static string? OptionValue(string[] arguments, string option)
    {
        var index = Array.IndexOf(arguments, option);
        return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
    }

    private static JsonObject Request(int id, string method, JsonObject parameters) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };

    /// <summary>The platform's framing: LSP's base protocol (<c>Content-Length</c> headers, then the JSON body).</summary>
    private sealed class Connection(NetworkStream stream)
    {
        private readonly BufferedStream _input = new(stream, 64 * 1024);

        public async Task SendAsync(JsonObject message)
        {
            // ASCII only (non-ASCII escaped): the platform reads the body's length in characters.
            var body = message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
            var bytes = Encoding.UTF8.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
            await stream.WriteAsync(bytes).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        /// <summary>The next message; null when the connection closed.</summary>
        public async Task<JsonNode?> ReadAsync()
        {
            var length = -1;
            while (true)
            {
                var line = await ReadLineAsync().ConfigureAwait(false);
                if (line is null) return null;
                if (line.Length == 0)
                {
                    if (length >= 0) break;
                    continue;
                }
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(line.AsSpan("Content-Length:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    length = parsed;
                }
            }
            var body = new byte[length];
            var read = 0;
            while (read < length)
            {
                var count = await _input.ReadAsync(body.AsMemory(read)).ConfigureAwait(false);
                if (count == 0) return null;
                read += count;
            }
            try
            {
                return JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return new JsonObject();
            }
        }

        private async Task<string?> ReadLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await _input.ReadAsync(one).ConfigureAwait(false) == 0) return bytes.Count == 0 ? null : Encoding.ASCII.GetString([.. bytes]);
                if (one[0] == '\n') return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
                bytes.Add(one[0]);
            }
        }
    }
}
