namespace OCI.LanguageServer.Tests;

/// <summary>The LSP lifecycle against the built server process over stdin/stdout.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Initialize_shutdown_exit_ends_with_code_zero_and_logs_only_to_stderr()
    {
        await using var server = ServerProcess.Start("--stdio");
        var result = await server.Client.InitializeAsync();

        var capabilities = result["capabilities"]!;
        Assert.Equal("utf-16", (string?)capabilities["positionEncoding"]);
        Assert.Equal(2, (int)capabilities["textDocumentSync"]!["change"]!);
        Assert.Equal("OCI.LanguageServer", (string?)result["serverInfo"]!["name"]);
        var commands = capabilities["executeCommandProvider"]!["commands"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.Equal(["oci.generate", "oci.runAndRefine", "oci.fixDiagnostic", "oci.refineSelection", "oci.cancel"], commands);

        var shutdown = await server.Client.RequestAsync("shutdown");
        Assert.True(shutdown.ContainsKey("result") && shutdown["result"] is null, shutdown.ToJsonString());
        await server.Client.NotifyAsync("exit");

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains("Serving LSP", await server.WaitForStderrAsync("Serving LSP"));
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_with_code_one()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeAsync();
        await server.Client.NotifyAsync("exit");
        Assert.Equal(1, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task End_of_input_without_shutdown_ends_with_code_one()
    {
        await using var server = ServerProcess.Start("serve");
        await server.Client.InitializeAsync();
        await server.Client.CloseInputAsync();
        Assert.Equal(1, await server.WaitForExitAsync());
    }

    [Theory]
    [InlineData(new[] { "utf-8", "utf-16" }, "utf-8")]
    [InlineData(new[] { "utf-16", "utf-8" }, "utf-8")]
    [InlineData(new[] { "utf-32" }, "utf-16")]
    [InlineData(new string[0], "utf-16")]
    public async Task Position_encoding_is_utf8_when_offered_else_utf16(string[] offered, string expected)
    {
        await using var server = new InProcessServer(new ScriptedRefineEngine());
        var capabilities = new JsonObject { ["general"] = new JsonObject { ["positionEncodings"] = new JsonArray(offered.Select(o => (JsonNode)o!).ToArray()) } };
        var result = await server.Client.InitializeAsync(capabilities);
        Assert.Equal(expected, (string?)result["capabilities"]!["positionEncoding"]);
    }

    [Fact]
    public async Task Requests_before_initialize_answer_32002_and_after_shutdown_32600()
    {
        await using var server = ServerProcess.Start();
        var early = await server.Client.RequestAsync("textDocument/codeAction", new JsonObject());
        Assert.Equal(-32002, (int)early["error"]!["code"]!);
        await server.Client.NotifyAsync("textDocument/didOpen", new JsonObject()); // dropped, not answered

        await server.Client.InitializeAsync();
        var again = await server.Client.RequestAsync("initialize", new JsonObject { ["capabilities"] = new JsonObject() });
        Assert.Equal(-32600, (int)again["error"]!["code"]!);

        await server.Client.RequestAsync("shutdown");
        var late = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.cancel" });
        Assert.Equal(-32600, (int)late["error"]!["code"]!);
        await server.Client.NotifyAsync("exit");
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.DoesNotContain(server.Client.Received, m => (string?)m["method"] == "textDocument/didOpen");
    }

    [Fact]
    public async Task A_command_without_a_workspace_reports_that_nothing_ran_and_traces_when_asked()
    {
        await using var server = ServerProcess.Start();
        await server.Client.InitializeWithAsync(new JsonObject { ["capabilities"] = new JsonObject(), ["trace"] = "off" });
        await server.Client.NotifyAsync("$/setTrace", new JsonObject { ["value"] = "verbose" });
        await server.Client.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = "file:///tmp/oci-test/Calc.cs", ["languageId"] = "csharp", ["version"] = 1, ["text"] = "class Calc {}\n" },
        });
        var response = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.generate",
            ["arguments"] = new JsonArray(new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = "file:///tmp/oci-test/Calc.cs", ["version"] = 1 },
                ["range"] = LspJson.Range(0, 0, 0, 0),
            }),
        });
        var result = response["result"]!;
        Assert.False((bool)result["applied"]!);
        Assert.Equal("notRun", (string?)result["stopReason"]);
        await server.Client.WaitForNotificationAsync("window/showMessage", m => ((string?)m["params"]!["message"])!.Contains("No workspace is open", StringComparison.Ordinal));
        await server.Client.WaitForNotificationAsync("$/logTrace");
    }
}
