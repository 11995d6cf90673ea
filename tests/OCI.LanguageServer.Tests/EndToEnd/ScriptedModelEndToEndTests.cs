using Microsoft.Extensions.AI;

namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// tests/fixtures/StubbedMethod (Rectangle.Area throws NotImplementedException; three xunit tests) with a scripted model.
/// </summary>
public sealed class StubbedWorkspaceWithScriptedModel() : ScriptedModelWorkspace("StubbedMethod");

/// <summary>
/// The refine commands end to end with a scripted model: real JSON-RPC to the real server executable, real Roslyn,
/// real <c>dotnet build</c> and <c>dotnet test</c> on the fixture, real HTTP to the model.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ScriptedModelEndToEndTests(StubbedWorkspaceWithScriptedModel fixture) : ServerOnWorkspaceTests<StubbedWorkspaceWithScriptedModel>(fixture), IAsyncLifetime
{
    private const string FilePath = "Geometry/Rectangle.cs";

    private const string Stub = "    public int Area()\n    {\n        throw new NotImplementedException();\n    }\n";
    private const string Implemented = "    public int Area()\n    {\n        return Width * Height;\n    }\n";

    /// <summary>A typo: the real compiler answers CS0103 (the name 'Heigth' does not exist).</summary>
    private const string ReplyWithCompileError = "```csharp\npublic int Area()\n{\n    return Width * Heigth;\n}\n```";

    /// <summary>Compiles, but Area_IsWidthTimesHeight fails (3 + 4 is not 12).</summary>
    private const string ReplyWithWrongResult = "```csharp\npublic int Area()\n{\n    return Width + Height;\n}\n```";

    private const string RightReply = "Here is the implementation.\n```csharp\npublic int Area()\n{\n    return Width * Height;\n}\n```";

    private ScriptedChatClient UseModel(ScriptedChatClient model) => Fixture.Model.Current = model;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Tests that type into the document put it back, so every test starts from the fixture's text.</summary>
    public async Task DisposeAsync() => await Server.RestoreAsync(await Server.OpenAsync(FilePath));

    private async Task<(OpenDocument Document, JsonObject Arguments)> GenerateArgumentsAsync()
    {
        var document = await Server.OpenAsync(FilePath);
        Assert.Contains(Stub, document.Text, StringComparison.Ordinal);
        return (document, EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "throw new")));
    }

    private static string LastUserTurn(IReadOnlyList<ChatMessage> request) => request.Last(m => m.Role == ChatRole.User).Text;

    [Fact]
    public async Task A_compile_error_reaches_the_model_as_its_real_CS_code_and_the_second_reply_is_applied_verified()
    {
        var model = UseModel(new ScriptedChatClient(ReplyWithCompileError, RightReply));
        var (document, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.generate", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.Equal(2, (int)result["roundsUsed"]!);
        Assert.Equal(2, model.Requests.Count);
        Assert.Contains("Implement the method", LastUserTurn(model.Requests[0]), StringComparison.Ordinal);
        var feedback = LastUserTurn(model.Requests[1]);
        Assert.StartsWith("Execution result:", feedback, StringComparison.Ordinal);
        Assert.Contains("CS0103", feedback, StringComparison.Ordinal);
        Assert.Contains("Heigth", feedback, StringComparison.Ordinal);
        // The second request continues the same conversation: the wrong reply is in its history.
        Assert.Contains(model.Requests[1], m => m.Role == ChatRole.Assistant && m.Text.Contains("Heigth", StringComparison.Ordinal));

        var applyEdit = Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        var edits = SingleVersionedEdit(applyEdit, document);
        Assert.Equal(document.Text.Replace(Stub, Implemented, StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
        Assert.Contains("round 1/2", string.Join("\n", Server.NotificationsSince(mark, "$/progress").Select(p => (string?)p["params"]!["value"]!["message"])));
    }

    [Fact]
    public async Task A_failing_test_reaches_the_model_with_its_real_assertion_message_and_the_fix_is_applied_verified()
    {
        var model = UseModel(new ScriptedChatClient(ReplyWithWrongResult, RightReply));
        var (document, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.generate", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal(2, (int)result["roundsUsed"]!);
        var feedback = LastUserTurn(model.Requests[1]);
        Assert.StartsWith("Execution result:", feedback, StringComparison.Ordinal);
        Assert.Contains("Area_IsWidthTimesHeight", feedback, StringComparison.Ordinal);
        Assert.Contains("Assert.Equal() Failure", feedback, StringComparison.Ordinal);
        Assert.Contains("12", feedback, StringComparison.Ordinal);
        Assert.Contains("7", feedback, StringComparison.Ordinal);

        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(document.Text.Replace(Stub, Implemented, StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
    }

    [Fact]
    public async Task CancelRequest_mid_loop_answers_32800_sends_no_edit_and_the_server_keeps_serving()
    {
        UseModel(new ScriptedChatClient(new string('.', 400) + RightReply) { ChunkDelay = TimeSpan.FromMilliseconds(250) });
        var (document, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var (id, pending) = await Server.StartCommandAsync("oci.generate", arguments);
        await Server.WaitForProgressAsync(mark, "asking the model");
        await Server.Client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = id });
        var response = await LspTestClient.WaitAsync(pending, TimeSpan.FromSeconds(30), "the cancelled command");

        Assert.Equal(-32800, LspJson.ErrorCode(response));
        await Server.WaitSinceAsync(mark, m => (string?)m["method"] == "$/progress" && (string?)m["params"]!["value"]!["kind"] == "end", "progress end");
        await AssertStillServesAsync(document);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task Cancelling_the_progress_mid_loop_ends_the_task_as_cancelled_without_an_edit()
    {
        UseModel(new ScriptedChatClient(new string('.', 400) + RightReply) { ChunkDelay = TimeSpan.FromMilliseconds(250) });
        var (document, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var (_, pending) = await Server.StartCommandAsync("oci.generate", arguments, workDoneToken: "e2e-progress-cancel");
        await Server.WaitForProgressAsync(mark, "asking the model");
        await Server.Client.NotifyAsync("window/workDoneProgress/cancel", new JsonObject { ["token"] = "e2e-progress-cancel" });
        var result = Result(await LspTestClient.WaitAsync(pending, TimeSpan.FromSeconds(30), "the cancelled command"));

        Assert.Equal("cancelled", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.False((bool)result["verified"]!);
        await AssertStillServesAsync(document);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task A_user_edit_during_the_loop_makes_the_verified_edit_stale_it_is_not_sent_and_the_user_is_told()
    {
        UseModel(new ScriptedChatClient(RightReply) { ChunkDelay = TimeSpan.FromMilliseconds(150) });
        var (document, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var (_, pending) = await Server.StartCommandAsync("oci.generate", arguments);
        await Server.WaitForProgressAsync(mark, "asking the model");
        await Server.ReplaceTextAsync(document, "// the user types while OCI works\n" + document.Text);
        var result = Result(await LspTestClient.WaitAsync(pending, EndToEndServer.CommandTimeout, "the stale command"));

        Assert.Equal("stale", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        var shown = Server.NotificationsSince(mark, "window/showMessage").Select(m => (string?)m["params"]!["message"]).ToList();
        Assert.Contains(shown, m => m?.Contains("not applied because Rectangle.cs changed", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_model_that_never_produces_code_ends_the_loop_cleanly_without_an_edit()
    {
        var model = UseModel(new ScriptedChatClient("I would rather not write code today."));
        var (_, arguments) = await GenerateArgumentsAsync();
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.generate", arguments));

        Assert.Equal("noCode", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.False((bool)result["verified"]!);
        Assert.Equal(1, (int)result["roundsUsed"]!);
        Assert.Single(model.Requests);
        Assert.Contains("held no code", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task CodeAction_offers_generate_on_the_stub_and_refine_selection_on_a_selection_with_their_commands()
    {
        var document = await Server.OpenAsync(FilePath);
        var stubLine = TextEdits.PositionOf(document.Text, "public int Area()").Line;

        var actions = await Server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "throw new"));
        var generate = Action(actions, "Generate implementation of Area");
        Assert.Equal("refactor.rewrite", (string?)generate["kind"]);
        Assert.Equal("oci.generate", (string?)generate["command"]!["command"]);
        var generateArguments = Assert.Single(generate["command"]!["arguments"]!.AsArray())!;
        Assert.Equal(document.Uri, (string?)generateArguments["textDocument"]!["uri"]);
        Assert.Equal(document.Version, (int?)generateArguments["textDocument"]!["version"]);
        Assert.Equal(stubLine, (int)generateArguments["range"]!["start"]!["line"]!);
        Assert.Equal(stubLine + 3, (int)generateArguments["range"]!["end"]!["line"]!);
        Assert.Equal("oci.runAndRefine", (string?)Action(actions, "Run & refine Area")["command"]!["command"]);
        Assert.DoesNotContain(actions, a => ((string?)a!["title"])!.StartsWith("Refine selection", StringComparison.Ordinal));

        var selectionStart = TextEdits.PositionOf(document.Text, "2 * (Width + Height)");
        var selectionEnd = (selectionStart.Line, selectionStart.Character + "2 * (Width + Height)".Length);
        var selectionActions = await Server.CodeActionsAsync(document, selectionStart, selectionEnd);
        var refine = Action(selectionActions, "Refine selection");
        Assert.Equal("oci.refineSelection", (string?)refine["command"]!["command"]);
        var refineArguments = Assert.Single(refine["command"]!["arguments"]!.AsArray())!;
        Assert.Equal(LspJson.Range(selectionStart.Line, selectionStart.Character, selectionEnd.Line, selectionEnd.Item2).ToJsonString(), refineArguments["range"]!.ToJsonString());
        Assert.Null(refineArguments["instruction"]);
        Assert.DoesNotContain(selectionActions, a => ((string?)a!["title"])!.StartsWith("Generate implementation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refine_selection_next_to_tests_that_failed_at_load_is_offered_after_its_impacted_tests_and_confirmed_no_worse()
    {
        // Area is still a stub, so its two tests fail before and after: refining Perimeter cannot fix them, and must not try.
        // They failed when the workspace was loaded (known failures), so the refinement is verified "no worse".
        var model = UseModel(new ScriptedChatClient("```csharp\nWidth + Width + Height + Height\n```", RightReply));
        var document = await Server.OpenAsync(FilePath);
        const string selection = "2 * (Width + Height)";
        var start = TextEdits.PositionOf(document.Text, selection);
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.refineSelection", EndToEndServer.CommandArguments(
            document, start, (start.Line, start.Character + selection.Length), instruction: "spell the sum out without multiplying")));

        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal(1, (int)result["roundsUsed"]!);
        Assert.Single(model.Requests); // the unrelated failures were not fed back
        // Offered after the tests that reference the selection pass on the in-memory build: that is all it says.
        var verification = result["verification"]!.AsObject();
        Assert.False((bool)verification["wholeSuite"]!);
        Assert.True((int)verification["impactedTests"]! > 0, verification.ToJsonString());
        Assert.Contains(verification["reachingTests"]!.AsArray(), t => ((string?)t)!.Contains("Perimeter", StringComparison.Ordinal));
        Assert.Equal("pending", (string?)verification["realBuild"]);
        // The whole suite on the real build follows: the failures the user already had are named there, not blamed.
        var confirmed = (await Server.WaitSinceAsync(mark, m => (string?)m["method"] == "oci/verificationConfirmed"
            && (string?)m["params"]?["command"] == "oci.refineSelection", "oci/verificationConfirmed of oci.refineSelection"))["params"]!;
        Assert.True((bool)confirmed["confirmed"]!, confirmed.ToJsonString());
        var summary = (string?)confirmed["summary"];
        Assert.Contains("no worse than before", summary, StringComparison.Ordinal);
        Assert.Contains("tests that already failed still fail", summary, StringComparison.Ordinal);
        Assert.Contains("Area_IsWidthTimesHeight", summary, StringComparison.Ordinal);
        Assert.Contains(confirmed["verification"]!["knownFailures"]!.AsArray(), t => ((string?)t)!.EndsWith("Area_IsWidthTimesHeight", StringComparison.Ordinal));
        Assert.True((bool)confirmed["verification"]!["wholeSuite"]!);
        Assert.NotNull((string?)result["conversationId"]);
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(document.Text.Replace(selection, "Width + Width + Height + Height", StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
    }

    /// <summary>After a cancelled task: a code action answers, and the model is free for the next task.</summary>
    private async Task AssertStillServesAsync(OpenDocument document)
    {
        var actions = await Server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "throw new"));
        Action(actions, "Generate implementation of Area");
        Assert.False(Server.Process.HasExited);
    }
}
