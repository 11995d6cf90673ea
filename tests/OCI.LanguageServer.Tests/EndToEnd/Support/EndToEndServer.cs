namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>A document the test has opened in the server, with the version and text the server holds.</summary>
public sealed class OpenDocument(string uri, string path, string text)
{
    public string Uri { get; } = uri;

    public string Path { get; } = path;

    public int Version { get; set; } = 1;

    public string Text { get; set; } = text;

    public string OriginalText { get; } = text;
}

/// <summary>
/// The real server executable (<see cref="ServerProcess"/>) opened on a real workspace, as an editor drives it:
/// initialize with the workspace as rootUri and the settings as initializationOptions, wait until the workspace has
/// loaded, open documents, run commands. The client answers <c>workspace/applyEdit</c> with applied: true (the test
/// applies the edit to its own copy of the text) and keeps every message, so tests look at what arrived after a
/// <see cref="Mark"/>.
/// </summary>
public sealed class EndToEndServer : IAsyncDisposable
{
    /// <summary>Restore, project load and the first build share 2 cores with the rest of the suite on CI.</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(3);

    /// <summary>A refine command: baseline, model rounds, in-memory compile, real build and test runs.</summary>
    public static TimeSpan CommandTimeout => OCI.Testing.TestWaits.Scaled(TimeSpan.FromMinutes(3));

    private readonly Dictionary<string, OpenDocument> _documents = new(StringComparer.Ordinal);

    private EndToEndServer(ServerProcess process, WorkspaceCopy workspace)
    {
        Process = process;
        Workspace = workspace;
    }

    public ServerProcess Process { get; }

    public WorkspaceCopy Workspace { get; }

    public LspTestClient Client => Process.Client;

    public static JsonObject Capabilities() => new()
    {
        ["workspace"] = new JsonObject
        {
            ["applyEdit"] = true,
            ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true },
        },
        ["window"] = new JsonObject { ["workDoneProgress"] = true, ["showMessage"] = new JsonObject() },
        ["textDocument"] = new JsonObject
        {
            ["codeAction"] = new JsonObject
            {
                ["codeActionLiteralSupport"] = new JsonObject
                {
                    ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("quickfix", "refactor", "refactor.rewrite") },
                },
            },
        },
    };

    /// <summary>
    /// Starts the server on <paramref name="workspace"/> and waits until its projects have loaded; the files of
    /// <paramref name="openWhileLoading"/> are opened right after <c>initialized</c>, as an editor restoring its tabs does.
    /// </summary>
    public static async Task<EndToEndServer> StartAsync(WorkspaceCopy workspace, JsonObject settings, JsonObject? capabilities = null, IReadOnlyList<string>? openWhileLoading = null)
    {
        var process = ServerProcess.Start();
        var server = new EndToEndServer(process, workspace);
        try
        {
            process.Client.ServerRequestHandler = (method, _) => method switch
            {
                "workspace/applyEdit" => new JsonObject { ["applied"] = true },
                _ => null,
            };
            var verification = settings["verification"] as JsonObject ?? [];
            verification["shadowRoot"] ??= workspace.ShadowRoot;
            settings["verification"] = verification;
            await process.Client.InitializeWithAsync(new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = UriOf(workspace.Root),
                ["capabilities"] = capabilities ?? Capabilities(),
                ["initializationOptions"] = new JsonObject { ["oci"] = settings },
            });
            foreach (var path in openWhileLoading ?? []) await server.OpenAsync(path);
            var loaded = await process.Client.WaitForNotificationAsync("window/logMessage",
                m => ((string?)m["params"]?["message"])?.StartsWith("Loaded ", StringComparison.Ordinal) == true, LoadTimeout);
            Assert.DoesNotContain("Loaded 0 project", (string?)loaded["params"]!["message"], StringComparison.Ordinal);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static string UriOf(string path) => new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri;

    /// <summary>Opens a workspace file (its text from disk) once; later calls return the same document.</summary>
    public async Task<OpenDocument> OpenAsync(string relativePath)
    {
        var path = Workspace.PathOf(relativePath);
        if (_documents.TryGetValue(path, out var open))
        {
            return open;
        }
        var document = new OpenDocument(UriOf(path), path, await File.ReadAllTextAsync(path));
        await Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen(document.Uri, document.Text, document.Version));
        _documents[path] = document;
        return document;
    }

    /// <summary>The editor closes the document (its buffer is no longer the truth: the disk is).</summary>
    public async Task CloseAsync(OpenDocument document)
    {
        await Client.NotifyAsync("textDocument/didClose", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = document.Uri } });
        _documents.Remove(document.Path);
    }

    /// <summary>The user types: the whole new text as one change, next version.</summary>
    public async Task ReplaceTextAsync(OpenDocument document, string text)
    {
        document.Version++;
        document.Text = text;
        await Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(document.Uri, document.Version, LspJson.FullChange(text)));
    }

    /// <summary>Puts a document back to the text it was opened with (so later tests of the class start from it).</summary>
    public async Task RestoreAsync(OpenDocument document)
    {
        if (document.Text != document.OriginalText)
        {
            await ReplaceTextAsync(document, document.OriginalText);
        }
    }

    /// <summary>The number of messages received so far; pass it to <see cref="Since"/> to see only a test's own.</summary>
    public int Mark() => Client.Received.Count;

    public IReadOnlyList<JsonObject> Since(int mark) => Client.Received.Skip(mark).ToList();

    public IReadOnlyList<JsonObject> ServerRequestsSince(int mark, string method) =>
        Since(mark).Where(m => (string?)m["method"] == method && m["id"] is not null).ToList();

    public IReadOnlyList<JsonObject> NotificationsSince(int mark, string method) =>
        Since(mark).Where(m => (string?)m["method"] == method && m["id"] is null).ToList();

    public static JsonObject CommandArguments(OpenDocument document, (int Line, int Character) start, (int Line, int Character)? end = null,
        string? diagnosticCode = null, string? instruction = null)
    {
        var stop = end ?? start;
        var arguments = LspJson.RefineArguments(document.Uri, document.Version, LspJson.Range(start.Line, start.Character, stop.Line, stop.Character), instruction);
        if (diagnosticCode is not null)
        {
            arguments["diagnosticCode"] = diagnosticCode;
        }
        return arguments;
    }

    /// <summary>Sends <c>workspace/executeCommand</c>; the response task completes when the command ends.</summary>
    public Task<(int Id, Task<JsonObject> Response)> StartCommandAsync(string command, JsonObject arguments, string? workDoneToken = null)
    {
        var parameters = new JsonObject { ["command"] = command, ["arguments"] = new JsonArray(arguments.DeepClone()) };
        if (workDoneToken is not null)
        {
            parameters["workDoneToken"] = workDoneToken;
        }
        return Client.SendRequestAsync("workspace/executeCommand", parameters);
    }

    public async Task<JsonObject> RunCommandAsync(string command, JsonObject arguments)
    {
        var (id, response) = await StartCommandAsync(command, arguments);
        return await LspTestClient.WaitAsync(response, CommandTimeout, $"{command} (request {id}); server stderr:\n{Tail(Process.Stderr)}");
    }

    /// <summary>Waits for a message after <paramref name="mark"/> that satisfies <paramref name="predicate"/>.</summary>
    public async Task<JsonObject> WaitSinceAsync(int mark, Func<JsonObject, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? CommandTimeout);
        while (true)
        {
            if (Since(mark).FirstOrDefault(predicate) is { } match)
            {
                return match;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Received:\n{string.Join("\n", Since(mark).Select(m => m.ToJsonString()))}\nstderr:\n{Tail(Process.Stderr)}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for a <c>$/progress</c> report after <paramref name="mark"/> whose message contains <paramref name="text"/>.</summary>
    public Task<JsonObject> WaitForProgressAsync(int mark, string text) =>
        WaitSinceAsync(mark, m => (string?)m["method"] == "$/progress"
            && ((string?)m["params"]?["value"]?["message"])?.Contains(text, StringComparison.Ordinal) == true, $"progress '{text}'");

    public async Task<JsonArray> CodeActionsAsync(OpenDocument document, (int Line, int Character) start, (int Line, int Character)? end = null, JsonArray? diagnostics = null)
    {
        var stop = end ?? start;
        var response = await Client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = document.Uri },
            ["range"] = LspJson.Range(start.Line, start.Character, stop.Line, stop.Character),
            ["context"] = new JsonObject { ["diagnostics"] = diagnostics ?? [] },
        });
        return Assert.IsType<JsonArray>(response["result"]);
    }

    /// <summary>
    /// The warnings and errors the server knows for the document now (<c>oci/documentDiagnostics</c>), as
    /// "error CS1061 12:17" (severity, code, zero-based line and character of the start), in the server's order; asked again while the
    /// server answers for an older version of the text.
    /// </summary>
    public async Task<IReadOnlyList<string>> DiagnosticsAsync(OpenDocument document)
    {
        var deadline = DateTime.UtcNow + CommandTimeout;
        while (true)
        {
            var response = await Client.RequestAsync("oci/documentDiagnostics", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = document.Uri } }, CommandTimeout);
            var result = Result(response);
            if ((int?)result["textDocument"]?["version"] == document.Version && result["diagnostics"] is JsonArray diagnostics)
            {
                return [.. diagnostics.Select(d => $"{((int?)d!["severity"] == 1 ? "error" : "warning")} {(string?)d["code"]} {(int)d["range"]!["start"]!["line"]!}:{(int)d["range"]!["start"]!["character"]!}")];
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no diagnostics for {document.Path} v{document.Version}: {response.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static string Tail(string text, int characters = 6000) => text.Length <= characters ? text : "…" + text[^characters..];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                await Client.RequestAsync("shutdown", timeout: TimeSpan.FromSeconds(10));
                await Client.NotifyAsync("exit");
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
        {
        }
        await Process.DisposeAsync();
    }
}
