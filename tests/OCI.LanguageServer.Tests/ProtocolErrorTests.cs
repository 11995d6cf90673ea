using System.Text;

namespace OCI.LanguageServer.Tests;

/// <summary>Bad input gets the right error code, a log line on stderr, and the server keeps serving.</summary>
public sealed class ProtocolErrorTests
{
    private static readonly string[] ValidCommandArgsUri = ["file:///tmp/oci-errors/A.cs"];

    private static async Task AssertStillServesAsync(ServerProcess server)
    {
        var response = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.cancel" });
        Assert.True(response["result"] is JsonObject, response.ToJsonString());
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Malformed_json_answers_32700_with_null_id_and_invalid_envelopes_32600()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeAsync();

        var parseError = server.Client.ExpectResponse(null!);
        await server.Client.SendBodyAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":"));
        var error = await LspTestClient.WaitAsync(parseError, null, "parse error");
        Assert.Equal(-32700, LspJson.ErrorCode(error));
        Assert.True(error.ContainsKey("id") && error["id"] is null);

        var noVersion = server.Client.ExpectResponse(41);
        await server.Client.SendAsync(new JsonObject { ["id"] = 41, ["method"] = "shutdown" });
        Assert.Equal(-32600, LspJson.ErrorCode(await LspTestClient.WaitAsync(noVersion, null, "invalid request")));

        var badMethod = server.Client.ExpectResponse(42);
        await server.Client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 42, ["method"] = 7 });
        Assert.Equal(-32600, LspJson.ErrorCode(await LspTestClient.WaitAsync(badMethod, null, "invalid method")));

        await AssertStillServesAsync(server);
        Assert.Contains("-32700", await server.WaitForStderrAsync("-32700"));
    }

    [Fact]
    public async Task Unknown_requests_answer_32601_and_unknown_notifications_are_ignored()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeAsync();
        await server.Client.NotifyAsync("$/unknownNotification", new JsonObject { ["x"] = 1 });
        await server.Client.NotifyAsync("custom/unknownNotification", new JsonObject());
        await server.Client.NotifyAsync("$/progress", new JsonObject { ["token"] = "t", ["value"] = new JsonObject() });
        var response = await server.Client.RequestAsync("textDocument/hover", new JsonObject());
        Assert.Equal(-32601, LspJson.ErrorCode(response));
        await AssertStillServesAsync(server);
        Assert.DoesNotContain(server.Client.Received, m => m["error"] is not null && (int?)m["error"]!["code"] != -32601);
    }

    [Fact]
    public async Task Bad_params_answer_32602_with_a_clear_message()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeAsync();
        await server.Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen(ValidCommandArgsUri[0], "class A {}\n"));

        var wrongShape = await server.Client.RequestAsync("textDocument/codeAction", new JsonObject { ["textDocument"] = 5 });
        Assert.Equal(-32602, LspJson.ErrorCode(wrongShape));

        var unknownCommand = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.nope" });
        Assert.Equal(-32602, LspJson.ErrorCode(unknownCommand));
        Assert.Contains("Unknown command 'oci.nope'", (string?)unknownCommand["error"]!["message"]);

        var noArguments = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.generate" });
        Assert.Equal(-32602, LspJson.ErrorCode(noArguments));
        Assert.Contains("one argument", (string?)noArguments["error"]!["message"]);

        var noInstruction = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.refineSelection",
            ["arguments"] = new JsonArray(LspJson.RefineArguments(ValidCommandArgsUri[0], 1, LspJson.Range(0, 0, 0, 5))),
        });
        Assert.Equal(-32602, LspJson.ErrorCode(noInstruction));
        Assert.Contains("instruction is required", (string?)noInstruction["error"]!["message"]);

        var noRange = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.runAndRefine",
            ["arguments"] = new JsonArray(new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = ValidCommandArgsUri[0] } }),
        });
        Assert.Contains("range is required", (string?)noRange["error"]!["message"]);

        var notOpen = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.runAndRefine",
            ["arguments"] = new JsonArray(LspJson.RefineArguments("file:///tmp/oci-errors/Closed.cs", null, LspJson.Range(0, 0, 0, 0))),
        });
        Assert.Equal(-32602, LspJson.ErrorCode(notOpen));
        Assert.Contains("not open", (string?)notOpen["error"]!["message"]);

        await AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Broken_headers_are_skipped_and_the_next_message_is_served()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeAsync();
        var body = "{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"shutdown\"}";
        await server.Client.SendRawAsync(Encoding.ASCII.GetBytes($"Content-Length: abc\r\n\r\n{body}"));
        await server.Client.SendRawAsync(Encoding.ASCII.GetBytes($"Content-Type: application/json\r\n\r\n{body}"));
        await server.Client.SendRawAsync(Encoding.ASCII.GetBytes($"Content-Length: 12\r\nContent-Length: 13\r\n\r\n{body}"));
        await server.Client.SendRawAsync(Encoding.ASCII.GetBytes("garbage without any header\r\n\r\n"));
        await server.Client.SendRawAsync(Encoding.ASCII.GetBytes(new string('x', 20_000)));
        await AssertStillServesAsync(server);
        Assert.DoesNotContain(server.Client.Received, m => (int?)m["id"] == 900);
        Assert.Contains("broken header", await server.WaitForStderrAsync("broken header"));
    }

    [Fact]
    public async Task Oversized_messages_are_skipped_and_answered_with_their_id()
    {
        await using var server = ServerProcess.Start("--max-message-bytes", "2000");
        await server.Client.InitializeAsync();
        var big = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 77,
            ["method"] = "textDocument/codeAction",
            ["params"] = new JsonObject { ["padding"] = new string('p', 10_000) },
        };
        var answer = server.Client.ExpectResponse(77);
        await server.Client.SendAsync(big);
        var response = await LspTestClient.WaitAsync(answer, null, "oversized answer");
        Assert.Equal(-32600, LspJson.ErrorCode(response));
        Assert.Contains("exceeds", (string?)response["error"]!["message"]);

        await server.Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen("file:///tmp/big.cs", new string('a', 5000)));
        await AssertStillServesAsync(server);
        Assert.Contains("Skipping a message", await server.WaitForStderrAsync("Skipping a message"));
    }
}
