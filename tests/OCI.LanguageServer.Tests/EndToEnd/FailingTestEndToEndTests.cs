using Microsoft.Extensions.AI;
using OCI.LanguageServer.Tests.Schemas;

namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// tests/fixtures/FailingTest (Calculator.Add returns a - b, so Add_ReturnsSum fails and Add_Zero passes) with a
/// scripted model and the trajectory log switched on (a file beside the workspace copy).
/// </summary>
public sealed class FailingTestWorkspaceWithScriptedModel() : ScriptedModelWorkspace("FailingTest")
{
    public string TrajectoryLogPath => Path.Combine(Workspace.Container, "trajectory", "sessions.jsonl");

    protected override JsonObject RefineSettings() => new() { ["maxRounds"] = 2, ["trajectoryLogPath"] = TrajectoryLogPath };
}

/// <summary>
/// Run &amp; refine and refine selection through the real server process on a member whose test really fails:
/// real Roslyn, real <c>dotnet build</c> and test runs, real HTTP to the scripted model, the real trajectory log.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class FailingTestEndToEndTests(FailingTestWorkspaceWithScriptedModel fixture) : ServerOnWorkspaceTests<FailingTestWorkspaceWithScriptedModel>(fixture), IAsyncLifetime
{
    private const string FilePath = "Calc/Calculator.cs";

    /// <summary>Compiles; Add_Zero passes but Add_ReturnsSum still fails (2 * 3 is not 5).</summary>
    private const string ReplyStillFailing = "```csharp\npublic static int Add(int a, int b)\n{\n    return a * b;\n}\n```";

    private const string RightReply = "The sum:\n```csharp\npublic static int Add(int a, int b)\n{\n    return a + b;\n}\n```";

    private ScriptedChatClient UseModel(ScriptedChatClient model) => Fixture.Model.Current = model;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Tests that type into the document put it back, so every test starts from the fixture's text.</summary>
    public async Task DisposeAsync() => await Server.RestoreAsync(await Server.OpenAsync(FilePath));

    private static string LastUserTurn(IReadOnlyList<ChatMessage> request) => request.Last(m => m.Role == ChatRole.User).Text;

    private async Task<(OpenDocument Document, JsonObject Arguments)> RunAndRefineArgumentsAsync()
    {
        var document = await Server.OpenAsync(FilePath);
        Assert.Contains("return a - b;", document.Text, StringComparison.Ordinal);
        return (document, EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "return a - b")));
    }

    /// <summary>The user fixes Add by hand (so the tests pass) and selects <paramref name="selection"/>.</summary>
    private static (int Line, int Character)[] RangeOf(OpenDocument document, string selection)
    {
        var start = TextEdits.PositionOf(document.Text, selection);
        return [start, (start.Line, start.Character + selection.Length)];
    }

    private IReadOnlyList<string> TrajectoryLines() =>
        File.Exists(Fixture.TrajectoryLogPath) ? File.ReadAllLines(Fixture.TrajectoryLogPath).Where(l => l.Length > 0).ToList() : [];

    [Fact]
    public async Task Run_and_refine_feeds_the_failing_tests_name_and_assertion_back_and_applies_the_passing_reply_verified()
    {
        var model = UseModel(new ScriptedChatClient(ReplyStillFailing, RightReply));
        var (document, arguments) = await RunAndRefineArgumentsAsync();
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.Equal(2, (int)result["roundsUsed"]!);
        Assert.Equal(2, model.Requests.Count);
        // The first prompt shows the test that fails today; the feedback is the real run of the first reply.
        Assert.Contains("Add_ReturnsSum", LastUserTurn(model.Requests[0]), StringComparison.Ordinal);
        var feedback = LastUserTurn(model.Requests[1]);
        Assert.StartsWith("Execution result:", feedback, StringComparison.Ordinal);
        Assert.Contains("Add_ReturnsSum", feedback, StringComparison.Ordinal);
        Assert.Contains("Assert.Equal() Failure", feedback, StringComparison.Ordinal);
        Assert.Contains("Expected: 5", feedback, StringComparison.Ordinal);
        Assert.Contains("Actual:   6", feedback, StringComparison.Ordinal);
        Assert.DoesNotContain("Add_Zero", feedback, StringComparison.Ordinal); // it passes: not a failure to report

        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(document.Text.Replace("return a - b;", "return a + b;", StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
        Assert.Contains("2 tests pass", (string?)result["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_and_refine_asks_first_with_the_real_run_of_the_users_code_after_the_code_and_the_tests()
    {
        var model = UseModel(new ScriptedChatClient(RightReply));
        var (_, arguments) = await RunAndRefineArgumentsAsync();
        var before = TrajectoryLines();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal(1, (int)result["roundsUsed"]!);
        var first = LastUserTurn(Assert.Single(model.Requests));
        // The baseline's execution result, rendered as the feedback turns are: xunit's real assertion text and location.
        var executionResult = first.IndexOf("Execution result: tests failed: 1 passed, 1 failed\n", StringComparison.Ordinal);
        Assert.True(executionResult > 0, first);
        Assert.True(first.IndexOf("public void Add_ReturnsSum()", StringComparison.Ordinal) is var test && test > 0 && test < executionResult, first);
        Assert.True(first.IndexOf("return a - b;", StringComparison.Ordinal) is var code && code > 0 && code < executionResult, first);
        Assert.Contains("FAILED Calc.Tests.CalculatorTests.Add_ReturnsSum\n", first, StringComparison.Ordinal);
        Assert.Contains("Assert.Equal() Failure", first, StringComparison.Ordinal);
        Assert.Contains("Expected: 5", first, StringComparison.Ordinal);
        Assert.Contains("Actual:   -1", first, StringComparison.Ordinal);
        Assert.Matches(@"  at \S*CalculatorTests\.cs:12\n", first);
        Assert.DoesNotContain("FAILED Calc.Tests.CalculatorTests.Add_Zero", first, StringComparison.Ordinal);
        Assert.True(first.IndexOf("Reply with exactly one ```csharp", StringComparison.Ordinal) > executionResult, first);

        // The trajectory log holds the first turn exactly as it was sent.
        var line = JsonNode.Parse(TrajectoryLines().Skip(before.Count).Single())!;
        Assert.Equal(first, (string?)line["messages"]![1]!["content"]);
    }

    [Fact]
    public async Task Refine_selection_asks_first_with_the_selections_tests_marked_as_failing_before_the_change()
    {
        var model = UseModel(new ScriptedChatClient("```csharp\na + b\n```"));
        var document = await Server.OpenAsync(FilePath);
        var range = RangeOf(document, "a - b");

        var result = Result(await Server.RunCommandAsync("oci.refineSelection",
            EndToEndServer.CommandArguments(document, range[0], range[1], instruction: "return the sum")));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        var first = LastUserTurn(Assert.Single(model.Requests));
        var marked = first.IndexOf("These tests that exercise the selection already fail before any change", StringComparison.Ordinal);
        Assert.True(marked > 0, first);
        Assert.True(first.IndexOf("public void Add_ReturnsSum()", StringComparison.Ordinal) is var test && test > 0 && test < marked, first);
        var failing = first[marked..];
        Assert.Contains("Execution result: tests failed: 1 passed, 1 failed\n", failing, StringComparison.Ordinal);
        Assert.Contains("FAILED Calc.Tests.CalculatorTests.Add_ReturnsSum\n", failing, StringComparison.Ordinal);
        Assert.Contains("Expected: 5", failing, StringComparison.Ordinal);
        Assert.Contains("Actual:   -1", failing, StringComparison.Ordinal);
        Assert.DoesNotContain("Add_Zero", failing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fix_diagnostic_asks_the_model_with_the_files_real_diagnostics_when_no_Roslyn_fix_verifies()
    {
        var model = UseModel(new ScriptedChatClient(RightReply));
        var document = await Server.OpenAsync(FilePath);
        await Server.ReplaceTextAsync(document, document.Text.Replace("return a - b;", "return a - offset;", StringComparison.Ordinal));
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "offset;"), diagnosticCode: "CS0103")));

        // Roslyn's fixes (generate a field, a property…) compile but fail Add_ReturnsSum: the model is asked.
        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal(1, (int)result["roundsUsed"]!);
        var first = LastUserTurn(Assert.Single(model.Requests));
        Assert.Contains("Fix the compiler diagnostic CS0103 at line 7: The name 'offset' does not exist in the current context", first, StringComparison.Ordinal);
        Assert.Contains("Compiler diagnostics:\nline 7: error CS0103: The name 'offset' does not exist in the current context\n    return a - offset;\n", first, StringComparison.Ordinal);
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(document.Text.Replace("return a - offset;", "return a + b;", StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
    }

    [Fact]
    public async Task Run_and_refine_on_code_that_already_passes_answers_notRun_without_asking_the_model()
    {
        var model = UseModel(new ScriptedChatClient(RightReply));
        var document = await Server.OpenAsync(FilePath);
        await Server.ReplaceTextAsync(document, document.Text.Replace("return a - b;", "return a + b;", StringComparison.Ordinal));
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "return a + b"))));

        Assert.Equal("notRun", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.False((bool)result["verified"]!);
        Assert.Equal(0, (int)result["roundsUsed"]!);
        Assert.Contains("nothing to refine", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Contains("tests pass", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(model.Requests);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task Refine_selection_again_with_the_conversationId_continues_the_conversation_and_both_edits_apply()
    {
        var model = UseModel(new ScriptedChatClient("```csharp\nchecked(a + b)\n```", "```csharp\nchecked(b + a)\n```"));
        var document = await Server.OpenAsync(FilePath);
        await Server.ReplaceTextAsync(document, document.Text.Replace("return a - b;", "return a + b;", StringComparison.Ordinal));
        var first = RangeOf(document, "a + b");
        var mark = Server.Mark();

        var firstResult = Result(await Server.RunCommandAsync("oci.refineSelection",
            EndToEndServer.CommandArguments(document, first[0], first[1], instruction: "throw on overflow")));

        Assert.True((bool)firstResult["verified"]!, firstResult.ToJsonString());
        Assert.True((bool)firstResult["applied"]!, firstResult.ToJsonString());
        Assert.Equal("verified", (string?)firstResult["stopReason"]);
        var conversationId = (string?)firstResult["conversationId"];
        Assert.False(string.IsNullOrEmpty(conversationId), firstResult.ToJsonString());
        var firstEdits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        var afterFirst = TextEdits.Apply(document.Text, firstEdits);
        Assert.Contains("        return checked(a + b);\n", afterFirst, StringComparison.Ordinal);

        // The editor applies the edit (didChange, next version); the user selects the new code and asks again.
        await Server.ReplaceTextAsync(document, afterFirst);
        var second = RangeOf(document, "checked(a + b)");
        mark = Server.Mark();
        var secondArguments = EndToEndServer.CommandArguments(document, second[0], second[1], instruction: "swap the operands");
        secondArguments["conversationId"] = conversationId;

        var secondResult = Result(await Server.RunCommandAsync("oci.refineSelection", secondArguments));

        Assert.True((bool)secondResult["verified"]!, secondResult.ToJsonString());
        Assert.True((bool)secondResult["applied"]!, secondResult.ToJsonString());
        Assert.Equal(conversationId, (string?)secondResult["conversationId"]);
        Assert.Equal(2, model.Requests.Count);
        var history = model.Requests[1];
        // The whole earlier conversation, then the new instruction: turn 1, reply 1, turn 2.
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], history.Where(m => m.Role != ChatRole.System).Select(m => m.Role).ToList());
        Assert.Contains("throw on overflow", history.First(m => m.Role == ChatRole.User).Text, StringComparison.Ordinal);
        Assert.Contains("checked(a + b)", history.Single(m => m.Role == ChatRole.Assistant).Text, StringComparison.Ordinal);
        var newTurn = LastUserTurn(history);
        Assert.Contains("swap the operands", newTurn, StringComparison.Ordinal);
        Assert.Contains("checked(a + b)", newTurn, StringComparison.Ordinal); // the selection as it reads now
        Assert.DoesNotContain("throw on overflow", newTurn, StringComparison.Ordinal);
        var secondEdits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(afterFirst.Replace("checked(a + b)", "checked(b + a)", StringComparison.Ordinal), TextEdits.Apply(document.Text, secondEdits));
    }

    [Fact]
    public async Task Refine_selection_without_an_instruction_answers_32602_saying_so()
    {
        var model = UseModel(new ScriptedChatClient(RightReply));
        var document = await Server.OpenAsync(FilePath);
        var range = RangeOf(document, "a - b");
        var mark = Server.Mark();

        var response = await Server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.refineSelection",
            ["arguments"] = new JsonArray(EndToEndServer.CommandArguments(document, range[0], range[1])),
        });

        Assert.Equal(-32602, LspJson.ErrorCode(response));
        Assert.Contains("instruction is required", (string?)response["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(model.Requests);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task A_session_appends_exactly_one_trajectory_line_that_validates_and_holds_the_execution_feedback()
    {
        UseModel(new ScriptedChatClient(ReplyStillFailing, ReplyStillFailing));
        var (_, arguments) = await RunAndRefineArgumentsAsync();
        var before = TrajectoryLines();
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine", arguments));

        // Both replies still fail Add_ReturnsSum: nothing better than the user's code, nothing sent.
        Assert.Equal("roundLimit", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("unchanged", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));

        var after = TrajectoryLines();
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(before, after.Take(before.Count));
        var line = JsonNode.Parse(after[^1])!;
        var (isValid, errors) = SchemaFiles.Evaluate(SchemaFiles.Schema("trajectory.schema.json"), line);
        Assert.True(isValid, errors + "\n" + after[^1]);
        Assert.Equal("runAndRefine", (string?)line["task"]);
        Assert.False((bool)line["verified"]!);
        Assert.Equal(2, (int)line["rounds"]!);
        Assert.Equal("scripted", (string?)line["model"]);
        var messages = line["messages"]!.AsArray().Select(m => ((string)m!["role"]!, (string)m["content"]!)).ToList();
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], messages.Select(m => m.Item1).ToList());
        Assert.Contains("Add_ReturnsSum", messages[1].Item2, StringComparison.Ordinal);
        Assert.Contains("return a * b;", messages[2].Item2, StringComparison.Ordinal);
        Assert.StartsWith("Execution result:", messages[3].Item2, StringComparison.Ordinal);
        Assert.Contains("Assert.Equal() Failure", messages[3].Item2, StringComparison.Ordinal);
    }
}
