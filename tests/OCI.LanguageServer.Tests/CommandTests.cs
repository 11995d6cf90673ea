using Microsoft.CodeAnalysis.Text;
using OCI.Engine;
using OCI.Engine.Refine;
using OCI.LanguageServer.Documents;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.LanguageServer.Tests;

/// <summary>Code actions and refine commands against a scripted engine: applyEdit, stale, progress, cancellation.</summary>
public sealed class CommandTests
{
    private const string Uri = "file:///tmp/oci-cmd/Calc.cs";
    private const string FilePath = "/tmp/oci-cmd/Calc.cs";
    private const string Original = "class Calc\r\n{\r\n    int Add(int a, int b) => a - b;\r\n}\r\n";
    private const string Fixed = "class Calc\r\n{\r\n    int Add(int a, int b) => a + b;\r\n}\r\n";

    private static JsonObject FullCapabilities() => new()
    {
        ["workspace"] = new JsonObject
        {
            ["applyEdit"] = true,
            ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true, ["resourceOperations"] = new JsonArray("create") },
        },
        ["window"] = new JsonObject { ["workDoneProgress"] = true },
        ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
    };

    private static ScriptedRefineEngine VerifyingEngine() => new()
    {
        ProgressSteps = [new RefineProgress(1, 3, "1 error CS0029"), new RefineProgress(2, 3, "running tests: 4 passed, 1 failed")],
        Outcome = (request, _) => new RefineOutcome(true, "Verified in 2 rounds: compiles, 5 tests pass.", [new FileChange(request.FilePath, Fixed)], 2, RefineStopReason.Verified, "conv-1"),
    };

    private static JsonObject RunAndRefine(int? version) => new()
    {
        ["command"] = "oci.runAndRefine",
        ["arguments"] = new JsonArray(LspJson.RefineArguments(Uri, version, LspJson.Range(2, 4, 2, 35))),
    };

    private static async Task<InProcessServer> StartAsync(ScriptedRefineEngine engine)
    {
        var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(FullCapabilities());
        await server.Client.NotifyAsync("textDocument/didOpen", LspJson.DidOpen(Uri, Original, version: 7));
        return server;
    }

    [Fact]
    public async Task A_model_that_fails_to_load_during_a_command_turns_the_status_to_error()
    {
        var engine = new ScriptedRefineEngine();
        engine.Outcome = (_, _) =>
        {
            engine.ModelProblem = "model.gguf is not a GGUF file";
            return new RefineOutcome(false, "The model is not available: model.gguf is not a GGUF file", [], 0, RefineStopReason.NoModel);
        };
        await using var server = await StartAsync(engine);
        var before = server.Client.Notifications("oci/status").Count;

        var result = (await server.Client.RequestAsync("workspace/executeCommand", RunAndRefine(7)))["result"]!;

        Assert.Equal("noModel", (string?)result["stopReason"]);
        var status = await server.Client.WaitForNotificationAsync("oci/status", m => (string?)m["params"]!["state"] == "error");
        Assert.Contains("not a GGUF file", (string?)status["params"]!["message"], StringComparison.Ordinal);
        Assert.True(server.Client.Notifications("oci/status").Count > before);
    }

    [Fact]
    public async Task A_verified_outcome_becomes_one_versioned_minimal_applyEdit_with_progress()
    {
        var engine = VerifyingEngine();
        await using var server = await StartAsync(engine);
        server.Client.ServerRequestHandler = (method, _) => method == "workspace/applyEdit" ? new JsonObject { ["applied"] = true } : null;

        var response = await server.Client.RequestAsync("workspace/executeCommand", RunAndRefine(7));

        var result = response["result"]!;
        Assert.True((bool)result["applied"]!);
        Assert.True((bool)result["verified"]!);
        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.Equal(2, (int)result["roundsUsed"]!);
        Assert.Equal("conv-1", (string?)result["conversationId"]);

        var applyEdits = server.Client.ServerRequests("workspace/applyEdit");
        var edit = Assert.Single(applyEdits)["params"]!["edit"]!["documentChanges"]!.AsArray();
        var documentEdit = Assert.Single(edit)!;
        Assert.Equal(7, (int)documentEdit["textDocument"]!["version"]!);
        var textEdit = Assert.Single(documentEdit["edits"]!.AsArray())!;
        Assert.Equal("+", (string?)textEdit["newText"]);
        Assert.Equal(LspJson.Range(2, 31, 2, 32).ToJsonString(), textEdit["range"]!.ToJsonString());

        var created = Assert.Single(server.Client.ServerRequests("window/workDoneProgress/create"));
        var token = created["params"]!["token"]!.ToJsonString();
        var progress = server.Client.Notifications("$/progress").Where(p => p["params"]!["token"]!.ToJsonString() == token)
            .Select(p => p["params"]!["value"]!).ToList();
        Assert.Equal(["begin", "report", "report", "end"], progress.Select(v => (string?)v["kind"]).ToList());
        Assert.True((bool)progress[0]["cancellable"]!);
        Assert.Equal("round 1/3: 1 error CS0029", (string?)progress[1]["message"]);
        Assert.Equal("round 2/3: running tests: 4 passed, 1 failed", (string?)progress[2]["message"]);

        var shown = await server.Client.WaitForNotificationAsync("window/showMessage");
        Assert.Contains("Verified in 2 rounds", (string?)shown["params"]!["message"]);
        Assert.Equal(3, (int)shown["params"]!["type"]!);

        var request = Assert.Single(engine.Requests);
        Assert.Equal(RefineKind.RunAndRefine, request.Kind);
        Assert.Equal(FilePath, request.FilePath);
        Assert.Equal(new LinePositionSpan(new LinePosition(2, 4), new LinePosition(2, 35)), request.Range);
    }

    [Fact]
    public async Task The_command_result_reports_each_rounds_verdict_and_times_and_the_baselines_time()
    {
        var engine = VerifyingEngine();
        var verifying = engine.Outcome;
        RoundTiming[] rounds =
        [
            new(0, VerificationStatus.CompileErrors, 1, 0, 0, ModelMs: 120, VerifyMs: 45, CompileMs: 30, BuildMs: 0, TestMs: 0),
            new(1, VerificationStatus.Passed, 0, 5, 0, ModelMs: 80, VerifyMs: 900, CompileMs: 25, BuildMs: 500, TestMs: 350),
        ];
        engine.Outcome = (request, text) => verifying(request, text) with { RoundTimings = rounds, BaselineMs = 64 };
        await using var server = await StartAsync(engine);
        server.Client.ServerRequestHandler = (method, _) => method == "workspace/applyEdit" ? new JsonObject { ["applied"] = true } : null;

        var result = (await server.Client.RequestAsync("workspace/executeCommand", RunAndRefine(7)))["result"]!;

        var timings = result["timings"]!;
        Assert.Equal(64, (long)timings["baselineMs"]!);
        var reported = timings["rounds"]!.AsArray();
        Assert.Equal((int)result["roundsUsed"]!, reported.Count);
        Assert.Equal([1, 2], reported.Select(r => (int)r!["round"]!)); // counted from 1, as progress counts them
        Assert.Equal(["compileErrors", "passed"], reported.Select(r => (string?)r!["status"]));
        string[] figures = ["modelMs", "verifyMs", "compileMs", "buildMs", "testMs", "newErrors", "passed", "failed"];
        Assert.All(reported, r => Assert.All(figures, f => Assert.True((long)r![f]! >= 0, $"{f} of {r.ToJsonString()}")));
        Assert.Equal(
            rounds.Select(r => new[] { r.ModelMs, r.VerifyMs, r.CompileMs, r.BuildMs, r.TestMs, r.NewErrors, r.Passed, r.Failed }),
            reported.Select(r => figures.Select(f => (long)r![f]!).ToArray()));
        var (valid, errors) = OCI.LanguageServer.Tests.Schemas.SchemaFiles.Evaluate(
            OCI.LanguageServer.Tests.Schemas.SchemaFiles.Schema("command-result.schema.json"), result);
        Assert.True(valid, errors);
    }

    [Fact]
    public async Task An_edit_is_not_sent_when_the_document_changed_during_the_task()
    {
        var engine = VerifyingEngine();
        engine.RunGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(engine);

        var (_, pending) = await server.Client.SendRequestAsync("workspace/executeCommand", RunAndRefine(7));
        await engine.RunStarted.Task.WaitAsync(OCI.Testing.TestWaits.Seconds(10));
        await server.Client.NotifyAsync("textDocument/didChange", LspJson.DidChange(Uri, 8, LspJson.Change(LspJson.Range(0, 0, 0, 0), "// edited\r\n")));
        // Any request after the change: handlers run in arrival order, so the change is applied when it answers.
        await server.Client.RequestAsync("codeAction/resolve", new JsonObject { ["title"] = "probe" });
        engine.RunGate.SetResult();

        var result = (await LspTestClient.WaitAsync(pending, null, "stale result"))["result"]!;
        Assert.False((bool)result["applied"]!);
        Assert.Equal("stale", (string?)result["stopReason"]);
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
        var shown = await server.Client.WaitForNotificationAsync("window/showMessage");
        Assert.Contains("not applied because Calc.cs changed", (string?)shown["params"]!["message"]);
    }

    [Fact]
    public async Task An_engine_that_did_not_run_the_loop_answers_stopReason_notRun_and_no_edit()
    {
        var engine = new ScriptedRefineEngine
        {
            Outcome = (_, _) => new RefineOutcome(false, "Calc.cs is not part of any loaded project.", [], 0, RefineStopReason.NotRun),
        };
        await using var server = await StartAsync(engine);

        var result = (await server.Client.RequestAsync("workspace/executeCommand", RunAndRefine(7)))["result"]!;

        Assert.Equal("notRun", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("not part of any loaded project", (string?)result["summary"]);
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
        Assert.Null(result["timings"]!["baselineMs"]); // the user's code was not checked
        Assert.Empty(result["timings"]!["rounds"]!.AsArray());
    }

    [Fact]
    public async Task A_command_for_an_older_version_than_the_open_one_does_not_start()
    {
        var engine = VerifyingEngine();
        await using var server = await StartAsync(engine);
        var response = await server.Client.RequestAsync("workspace/executeCommand", RunAndRefine(6));
        Assert.Equal("stale", (string?)response["result"]!["stopReason"]);
        Assert.Empty(engine.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the real engine answers cancellation with a Cancelled outcome rather than an exception
    public async Task CancelRequest_answers_32800_and_stops_the_engine(bool engineReportsCancellationAsOutcome)
    {
        var engine = VerifyingEngine();
        engine.ReportsCancellationAsOutcome = engineReportsCancellationAsOutcome;
        engine.RunGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(engine);

        var (id, pending) = await server.Client.SendRequestAsync("workspace/executeCommand", RunAndRefine(7));
        await engine.RunStarted.Task.WaitAsync(OCI.Testing.TestWaits.Seconds(10));
        await server.Client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = id });

        var response = await LspTestClient.WaitAsync(pending, null, "cancelled response");
        Assert.Equal(-32800, LspJson.ErrorCode(response));
        Assert.True(await engine.RunCancelled.Task.WaitAsync(OCI.Testing.TestWaits.Seconds(10)));
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
        await server.Client.WaitForNotificationAsync("$/progress", m => (string?)m["params"]!["value"]!["kind"] == "end");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Progress_cancel_and_oci_cancel_end_the_task_as_cancelled(bool viaProgress)
    {
        var engine = VerifyingEngine();
        engine.RunGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(engine);

        var (_, pending) = await server.Client.SendRequestAsync("workspace/executeCommand", RunAndRefine(7));
        await engine.RunStarted.Task.WaitAsync(OCI.Testing.TestWaits.Seconds(10));
        if (viaProgress)
        {
            var token = (await server.Client.WaitForAsync(m => (string?)m["method"] == "window/workDoneProgress/create", "progress create"))["params"]!["token"]!;
            await server.Client.NotifyAsync("window/workDoneProgress/cancel", new JsonObject { ["token"] = token.DeepClone() });
        }
        else
        {
            var cancel = await server.Client.RequestAsync("workspace/executeCommand", new JsonObject { ["command"] = "oci.cancel" });
            Assert.Equal(1, (int)cancel["result"]!["cancelled"]!);
        }

        var result = (await LspTestClient.WaitAsync(pending, null, "cancelled result"))["result"]!;
        Assert.Equal("cancelled", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Empty(server.Client.ServerRequests("workspace/applyEdit"));
    }

    [Fact]
    public async Task Code_actions_carry_the_protocol_arguments()
    {
        var engine = new ScriptedRefineEngine
        {
            Suggestions =
            [
                new ActionSuggestion(RefineKind.FixDiagnostic, "Fix CS0029 with OCI", FilePath, new LinePositionSpan(new(2, 4), new(2, 35)), "CS0029", IsPreferred: true),
                new ActionSuggestion(RefineKind.RefineSelection, "Refine selection…", FilePath, new LinePositionSpan(new(2, 4), new(2, 35))),
            ],
        };
        await using var server = await StartAsync(engine);
        var diagnostic = new JsonObject { ["range"] = LspJson.Range(2, 4, 2, 35), ["message"] = "cannot convert", ["code"] = "CS0029" };
        var response = await server.Client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri },
            ["range"] = LspJson.Range(2, 4, 2, 35),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(diagnostic) },
        });
        var actions = response["result"]!.AsArray();
        Assert.Equal(2, actions.Count);
        var fix = actions[0]!;
        Assert.Equal("quickfix", (string?)fix["kind"]);
        Assert.True((bool)fix["isPreferred"]!);
        Assert.Equal("CS0029", (string?)fix["diagnostics"]![0]!["code"]);
        Assert.Equal("oci.fixDiagnostic", (string?)fix["command"]!["command"]);
        var arguments = fix["command"]!["arguments"]![0]!;
        Assert.Equal(Uri, (string?)arguments["textDocument"]!["uri"]);
        Assert.Equal(7, (int)arguments["textDocument"]!["version"]!);
        Assert.Equal("CS0029", (string?)arguments["diagnosticCode"]);
        Assert.Equal(LspJson.Range(2, 4, 2, 35).ToJsonString(), arguments["range"]!.ToJsonString());
        Assert.Equal("refactor.rewrite", (string?)actions[1]!["kind"]);
        Assert.Equal("oci.refineSelection", (string?)actions[1]!["command"]!["command"]);

        var onlyQuickFixes = await server.Client.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = Uri },
            ["range"] = LspJson.Range(2, 4, 2, 35),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(), ["only"] = new JsonArray("quickfix") },
        });
        Assert.Single(onlyQuickFixes["result"]!.AsArray());

        var stripped = fix.DeepClone().AsObject();
        stripped.Remove("command");
        var resolved = await server.Client.RequestAsync("codeAction/resolve", stripped);
        Assert.Equal("oci.fixDiagnostic", (string?)resolved["result"]!["command"]!["command"]);
    }

    [Fact]
    public async Task Workspace_loads_after_initialized_with_progress_and_reports_problems()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeWithAsync(new JsonObject
        {
            ["capabilities"] = FullCapabilities(),
            ["rootUri"] = "file:///tmp/oci-root",
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = "file:///tmp/oci-ws", ["name"] = "ws" }),
        });
        var shown = await server.Client.WaitForNotificationAsync("window/showMessage");
        Assert.Contains("Broken.csproj", (string?)shown["params"]!["message"]);
        await server.Client.WaitForNotificationAsync("window/logMessage", m => ((string?)m["params"]!["message"])!.StartsWith("Loaded 1 project", StringComparison.Ordinal));
        Assert.Equal(["/tmp/oci-ws"], engine.OpenedRoots);
        await server.Client.WaitForNotificationAsync("$/progress", m => (string?)m["params"]!["value"]!["message"] == "loading projects");
    }
}
