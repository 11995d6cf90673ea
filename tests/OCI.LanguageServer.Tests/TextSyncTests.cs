namespace OCI.LanguageServer.Tests;

/// <summary>Incremental sync through real JSON-RPC; the scripted engine shows the text the server forwards.</summary>
public sealed class TextSyncTests
{
    private const string Uri = "file:///tmp/oci-sync/Doc.cs";
    private const string PathOnDisk = "/tmp/oci-sync/Doc.cs";

    private static async Task<string> ForwardedTextAsync(ScriptedRefineEngine engine, LspTestClient client)
    {
        // A request after the notifications: handlers run in order, so the text is forwarded by the time it answers.
        await client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri },
            ["range"] = LspJson.Range(0, 0, 0, 0),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        });
        return engine.Documents[PathOnDisk];
    }

    private static async Task<(InProcessServer Server, ScriptedRefineEngine Engine)> StartAsync(string encoding, string text)
    {
        var engine = new ScriptedRefineEngine();
        var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(new JsonObject { ["general"] = new JsonObject { ["positionEncodings"] = new JsonArray(encoding) } });
        await server.Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen(Uri, text));
        return (server, engine);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-8")]
    public async Task Tabs_and_crlf_lines_are_addressed_by_line_and_character(string encoding)
    {
        var (server, engine) = await StartAsync(encoding, "\tint a;\r\n\tint b;\r\n");
        await using var _ = server;
        // Replace "b" on line 1 (tab counts as one unit in both encodings).
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 2, LspJson.Change(LspJson.Range(1, 5, 1, 6), "bee")));
        // Join the lines: delete line 0's CRLF.
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 3, LspJson.Change(LspJson.Range(0, 7, 1, 0), " ")));
        Assert.Equal("\tint a; \tint bee;\r\n", await ForwardedTextAsync(engine, server.Client));
    }

    /// <summary>One character replaced after wide characters: the server counts them as the negotiated encoding does.</summary>
    [Theory]
    [InlineData("utf-16", "var s = \"😀x\";\n", 11, "var s = \"😀y\";\n")] // 😀 is characters 9-10 (a surrogate pair): x is at 11
    [InlineData("utf-8", "// é😀x\n", 9, "// é😀y\n")] // "// " is 3 bytes, é 2, 😀 4: x starts at byte 9
    public async Task Wide_characters_count_as_the_negotiated_encoding_says(string encoding, string text, int character, string expected)
    {
        var (server, engine) = await StartAsync(encoding, text);
        await using var _ = server;
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 2, LspJson.Change(LspJson.Range(0, character, 0, character + 1), "y")));
        Assert.Equal(expected, await ForwardedTextAsync(engine, server.Client));
    }

    [Fact]
    public async Task Several_changes_in_one_notification_apply_in_order_and_full_text_replaces()
    {
        var (server, engine) = await StartAsync("utf-16", "abc\n");
        await using var _ = server;
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 2,
            LspJson.Change(LspJson.Range(0, 0, 0, 0), "1\n"),
            LspJson.Change(LspJson.Range(1, 3, 1, 3), "d"),
            LspJson.Change(LspJson.Range(9, 0, 9, 0), "end"))); // past the end: appended at the end
        Assert.Equal("1\nabcd\nend", await ForwardedTextAsync(engine, server.Client));

        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 3, LspJson.FullChange("new\r\ntext")));
        Assert.Equal("new\r\ntext", await ForwardedTextAsync(engine, server.Client));

        await server.Client.NotifyAsync("textDocument/didSave", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = Uri } });
        await server.Client.NotifyAsync("textDocument/didClose", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = Uri } });
        await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.cancel" });
        Assert.Contains(PathOnDisk, engine.Closed);
        Assert.False(engine.Documents.ContainsKey(PathOnDisk));
    }

    [Fact]
    public async Task A_change_to_an_unknown_document_is_reported_and_serving_continues()
    {
        var (server, _) = await StartAsync("utf-16", "x");
        await using var __ = server;
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange("file:///tmp/oci-sync/Other.cs", 2, LspJson.FullChange("y")));
        var log = await server.Client.WaitForNotificationAsync("window/logMessage", m => ((string?)m["params"]!["message"])!.Contains("not open", StringComparison.Ordinal));
        Assert.Equal(2, (int)log["params"]!["type"]!);
    }
}
