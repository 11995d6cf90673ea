using System.Text;
using FsCheck;
using FsCheck.Fluent;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Tests;

/// <summary>Random bytes and random JSON never take the server down: it still answers a valid request afterwards.</summary>
public sealed class RobustnessProperties : IAsyncLifetime
{
    private ServerProcess? _process;
    private int _probe;

    public async Task InitializeAsync()
    {
        _process = ServerProcess.Start("--max-message-bytes", "100000");
        await _process.Client.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static readonly Gen<byte[]> HeaderishBytes =
        Gen.OneOf(
                Gen.Elements("Content-Length: ", "content-length:", "Content-Type: x", "12\r\n", "0\r\n", "150\r\n", "999\r\n", "-1", "abc",
                    "\r\n", "\r\n\r\n", "\n\n", ":", "{", "}", "\"jsonrpc\":\"2.0\"", "\"id\":1", "[", "\u0000", "é").Select(s => Encoding.UTF8.GetBytes(s)),
                // No ASCII digits in raw bytes: glued to a header they would declare lengths no probe could fill.
                ArbMap.Default.GeneratorFor<byte[]>().Select(b => b.Select(x => x is >= (byte)'0' and <= (byte)'9' ? (byte)'x' : x).ToArray()))
            .ListOf()
            .Select(parts => parts.SelectMany(p => p).ToArray());

    private static readonly string[] Methods =
    [
        "initialize", "initialized", "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "textDocument/didSave",
        "textDocument/codeAction", "codeAction/resolve", "workspace/executeCommand", "workspace/didChangeConfiguration",
        "window/workDoneProgress/cancel", "$/cancelRequest", "$/setTrace", "textDocument/hover", "$/x",
    ];

    private static readonly string[] Keys =
        ["textDocument", "uri", "version", "text", "range", "start", "end", "line", "character", "contentChanges", "command",
         "arguments", "settings", "token", "value", "context", "diagnostics", "instruction", "id", "capabilities"];

    private static Gen<JsonNode?> JsonValue(int depth) => depth <= 0
        ? Gen.OneOf(
            Gen.Choose(-3, 40).Select(i => (JsonNode?)i),
            Gen.Elements("file:///tmp/r.cs", "", "oci.generate", "oci.refineSelection", "utf-8", "😀\r\n").Select(s => (JsonNode?)s),
            Gen.Elements<JsonNode?>(null, true, false, 1e308, -0.5))
        : Gen.OneOf(
            JsonValue(0),
            JsonValue(depth - 1).ListOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            Gen.Zip(Gen.Elements(Keys), JsonValue(depth - 1)).ListOf()
                .Select(pairs =>
                {
                    var o = new JsonObject();
                    foreach (var (k, v) in pairs)
                    {
                        o[k] = v?.DeepClone();
                    }
                    return (JsonNode?)o;
                }));

    private static readonly Gen<JsonNode?> Messages =
        Gen.OneOf(
            JsonValue(3),
            Gen.Zip(Gen.Elements(Methods), JsonValue(3)).Zip(Gen.Elements<JsonNode?>(null, 1, "s", 2.5, true)).Select(t =>
            {
                var ((method, parameters), id) = t;
                var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters?.DeepClone() };
                if (id is not null)
                {
                    message["id"] = id.DeepClone();
                }
                return (JsonNode?)message;
            }));

    /// <summary>
    /// Sends <paramref name="attempts"/> probes at once and waits for any answer: a length declared in the bytes before
    /// may swallow the first probes, one answered probe shows the server still serves. Waits long only on failure.
    /// </summary>
    private async Task<bool> AnswersAProbeAsync(LspTestClient client, int attempts)
    {
        var answers = new List<Task<JsonObject>>();
        for (var i = 0; i < attempts; i++)
        {
            var id = $"probe-{Interlocked.Increment(ref _probe)}";
            answers.Add(client.ExpectResponse(id));
            await client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "codeAction/resolve", ["params"] = new JsonObject { ["title"] = "p" } });
        }
        var any = Task.WhenAny(answers);
        return await Task.WhenAny(any, Task.Delay(OCI.Testing.TestWaits.Seconds(10))) == any;
    }

    [Fact]
    public void Random_json_messages_never_stop_the_server_process()
    {
        var client = _process!.Client;
        Prop.ForAll(Messages.ToArbitrary(), message =>
        {
            client.SendBodyAsync(Encoding.UTF8.GetBytes(message?.ToJsonString() ?? "null")).GetAwaiter().GetResult();
            return AnswersAProbeAsync(client, 1).GetAwaiter().GetResult() && !_process.HasExited;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void Random_bytes_never_stop_the_server()
    {
        Prop.ForAll(HeaderishBytes.ToArbitrary(), bytes =>
        {
            var server = new InProcessServer(new ScriptedRefineEngine(), new LanguageServerOptions { MaxMessageBytes = 4096 });
            try
            {
                server.Client.SendRawAsync(bytes).GetAwaiter().GetResult();
                server.Client.SendRawAsync("\r\n\r\n"u8.ToArray()).GetAwaiter().GetResult();
                // A declared length (at most 999 here) may swallow the first probes; 15 probes outlast it.
                return AnswersAProbeAsync(server.Client, 15).GetAwaiter().GetResult() && !server.Run.IsCompleted;
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public async Task Random_bytes_through_the_real_process_leave_it_serving()
    {
        var random = new Random(7);
        var client = _process!.Client;
        for (var i = 0; i < 5; i++)
        {
            var bytes = new byte[random.Next(1, 5000)];
            random.NextBytes(bytes);
            await client.SendRawAsync(bytes);
            await client.SendRawAsync("\r\n\r\n"u8.ToArray());
        }
        Assert.True(await AnswersAProbeAsync(client, 40));
    }
}
