using OCI.Engine;
using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.DiskChanges;

namespace OCI.LanguageServer.Tests;

/// <summary>
/// workspace/didChangeWatchedFiles against a scripted engine: the registration of the patterns, the events passed on
/// as disk changes, a project file reloading in the background with progress, and an edit computed before a disk
/// change never sent.
/// </summary>
public sealed class WatchedFilesTests
{
    private const string Uri = "file:///tmp/oci-watch/Calc.cs";
    private const string Original = "class Calc\n{\n    int Add(int a, int b) => a - b;\n}\n";

    private static JsonObject Capabilities(bool dynamicRegistration) => new()
    {
        ["workspace"] = new JsonObject
        {
            ["applyEdit"] = true,
            ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true },
            ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = dynamicRegistration },
        },
        ["window"] = new JsonObject { ["workDoneProgress"] = true },
    };

    private static JsonObject Changes(params (string Path, int Type)[] events) => new()
    {
        ["changes"] = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject { ["uri"] = new Uri(e.Path).AbsoluteUri, ["type"] = e.Type })]),
    };

    [Fact]
    public async Task A_client_with_dynamic_registration_is_asked_to_watch_sources_projects_and_msbuild_files()
    {
        await using var server = new InProcessServer(new ScriptedRefineEngine());
        await server.Client.InitializeAsync(Capabilities(dynamicRegistration: true));

        var request = await server.Client.WaitForAsync(m => (string?)m["method"] == "client/registerCapability", "registerCapability");
        var status = await server.Client.WaitForNotificationAsync("oci/status");
        var received = server.Client.Received.ToList();
        Assert.True(received.IndexOf(request) < received.IndexOf(status), "the registration comes before oci/status");
        var registration = request["params"]!["registrations"]![0]!;
        Assert.Equal("workspace/didChangeWatchedFiles", (string?)registration["method"]);
        var patterns = registration["registerOptions"]!["watchers"]!.AsArray().Select(w => (string?)w!["globPattern"]).ToList();
        Assert.Equal(["**/*.cs", "**/*.csproj", "**/*.props", "**/*.targets", "**/*.sln", "**/*.slnx", "**/packages.lock.json", "**/global.json", "**/Directory.Packages.props"], patterns);
    }

    [Fact]
    public async Task A_client_without_dynamic_registration_is_not_asked()
    {
        await using var server = new InProcessServer(new ScriptedRefineEngine());
        await server.Client.InitializeAsync(Capabilities(dynamicRegistration: false));
        // The server sends the registration before oci/status: once the status is here, a registration would be too.
        await server.Client.WaitForNotificationAsync("oci/status");
        Assert.Empty(server.Client.ServerRequests("client/registerCapability"));
    }

    [Fact]
    public async Task Events_reach_the_engine_as_disk_changes_and_a_project_file_reloads_with_progress()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(Capabilities(dynamicRegistration: true));

        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", Changes(("/tmp/oci-watch/A.cs", 1), ("/tmp/oci-watch/B.cs", 2), ("/tmp/oci-watch/C.cs", 3)));
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", Changes(("/tmp/oci-watch/App.csproj", 2)));

        var begin = await server.Client.WaitForAsync(m => (string?)m["method"] == "$/progress"
            && (string?)m["params"]!["value"]!["title"] == "OCI: Reloading workspace", "reload progress");
        Assert.Equal("App.csproj changed", (string?)begin["params"]!["value"]!["message"]);
        await server.Client.WaitForAsync(m => (string?)m["method"] == "window/logMessage"
            && ((string?)m["params"]!["message"])?.StartsWith("Reloaded 1 project(s)", StringComparison.Ordinal) == true, "reload log");
        var batches = engine.DiskChanges.ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal(
            [new DiskChange("/tmp/oci-watch/A.cs", DiskChangeKind.Created), new DiskChange("/tmp/oci-watch/B.cs", DiskChangeKind.Changed), new DiskChange("/tmp/oci-watch/C.cs", DiskChangeKind.Deleted)],
            batches[0]);
        Assert.Equal(1, engine.Reloads);
    }

    [Fact]
    public async Task An_edit_computed_before_files_changed_on_disk_is_not_sent_and_the_task_ends_stale()
    {
        var engine = new ScriptedRefineEngine
        {
            Outcome = (request, _) => new RefineOutcome(true, "Verified: compiles.", [new FileChange(request.FilePath, Original.Replace("a - b", "a + b", StringComparison.Ordinal))], 1, RefineStopReason.Verified),
            RunGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        await using var server = new InProcessServer(engine);
        var pending = await StartRunAndRefineAsync(server, engine);
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", Changes(("/tmp/oci-watch/Other.cs", 2)));
        await server.Client.RequestAsync("codeAction/resolve", new JsonObject { ["title"] = "probe" }); // handled in order: the event is in
        engine.RunGate.SetResult();

        var result = (await LspTestClient.WaitAsync(pending, null, "stale result"))["result"]!;
        Assert.Equal("stale", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("files changed on disk", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
    }

    [Fact]
    public async Task A_task_the_engine_ends_stale_because_a_project_file_reload_ran_meanwhile_answers_stale_not_failed()
    {
        // The engine's side (a reload closing the host under a running check) is StaleTaskTests; here: the command's answer.
        var engine = new ScriptedRefineEngine
        {
            Outcome = (_, _) => new RefineOutcome(false, "Files changed on disk or the workspace was reloaded while the task ran, so its result is about files that are gone: nothing was applied; run it again.",
                [], 1, RefineStopReason.Stale),
            RunGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        await using var server = new InProcessServer(engine);
        var pending = await StartRunAndRefineAsync(server, engine);
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", Changes(("/tmp/oci-watch/App.csproj", 2)));
        await server.Client.WaitForAsync(m => (string?)m["method"] == "window/logMessage"
            && ((string?)m["params"]!["message"])?.StartsWith("Reloaded", StringComparison.Ordinal) == true, "reload log");
        engine.RunGate.SetResult();

        var response = await LspTestClient.WaitAsync(pending, null, "stale result");
        var result = response["result"] ?? throw new Xunit.Sdk.XunitException("the command failed: " + response.ToJsonString());
        Assert.Equal("stale", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("reloaded while the task ran", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
        Assert.Contains(server.Client.Notifications("window/showMessage"), m => (int)m["params"]!["type"]! == 2
            && ((string?)m["params"]!["message"])?.Contains("reloaded while the task ran", StringComparison.Ordinal) == true);
    }

    /// <summary>Opens the file and starts <c>oci.runAndRefine</c> on it; returns once the engine runs (held by its RunGate).</summary>
    private static async Task<Task<JsonObject>> StartRunAndRefineAsync(InProcessServer server, ScriptedRefineEngine engine)
    {
        await server.Client.InitializeAsync(Capabilities(dynamicRegistration: false));
        await server.Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen(Uri, Original, version: 1));
        var (_, pending) = await server.Client.SendRequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.runAndRefine",
            ["arguments"] = new JsonArray(LspJson.RefineArguments(Uri, 1, LspJson.Range(2, 4, 2, 35))),
        });
        await engine.RunStarted.Task.WaitAsync(TestWaits.Seconds(30));
        return pending;
    }
}

/// <summary>Multi-root at the protocol: every folder named at initialize is loaded, and didChangeWorkspaceFolders adds and removes.</summary>
public sealed class WorkspaceFoldersTests
{
    private static JsonObject Folder(string path) => new() { ["uri"] = new Uri(path).AbsoluteUri, ["name"] = Path.GetFileName(path) };

    [Fact]
    public async Task Every_workspace_folder_is_loaded_and_folders_added_or_removed_later_follow()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        var init = await server.Client.InitializeWithAsync(new JsonObject
        {
            ["processId"] = null,
            ["capabilities"] = new JsonObject(),
            ["workspaceFolders"] = new JsonArray(Folder("/tmp/oci-roots/one"), Folder("/tmp/oci-roots/two")),
        });
        Assert.True((bool)init["capabilities"]!["workspace"]!["workspaceFolders"]!["changeNotifications"]!);
        await server.Client.WaitForAsync(m => ((string?)m["params"]?["message"])?.StartsWith("Loaded 1 project(s) from /tmp/oci-roots/two", StringComparison.Ordinal) == true, "second folder loaded");
        Assert.Equal(["/tmp/oci-roots/one", "/tmp/oci-roots/two"], engine.OpenedRoots.ToList());

        await server.Client.NotifyAsync("workspace/didChangeWorkspaceFolders", new JsonObject
        {
            ["event"] = new JsonObject { ["added"] = new JsonArray(Folder("/tmp/oci-roots/three")), ["removed"] = new JsonArray(Folder("/tmp/oci-roots/one")) },
        });

        await server.Client.WaitForAsync(m => ((string?)m["params"]?["message"])?.StartsWith("Loaded 1 project(s) from /tmp/oci-roots/three", StringComparison.Ordinal) == true, "added folder loaded");
        Assert.Equal(["/tmp/oci-roots/one"], engine.ClosedRoots.ToList());
        Assert.Equal("/tmp/oci-roots/three", engine.OpenedRoots.Last());
    }
}
