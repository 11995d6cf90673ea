namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>One real server process, no model configured, on a copy of samples/FixDiagnostic (Slug.cs lacks using System.Text: CS0246).</summary>
public sealed class FixDiagnosticSampleWithoutModel() : ServerOnWorkspace(WorkspaceCopy.OfSample("FixDiagnostic"), WithoutModel());

/// <summary>
/// Fix-diagnostic with Roslyn's own fixes and no model, through the real server executable: the code action is listed
/// from the server's own diagnostics, the command verifies add-using with a real build and test run and sends one
/// versioned edit. Also what the server answers when the loop cannot or need not run.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RoslynFixEndToEndTests(FixDiagnosticSampleWithoutModel fixture) : ServerOnWorkspaceTests<FixDiagnosticSampleWithoutModel>(fixture)
{
    private const string FilePath = "src/TextTools/Slug.cs";

    [Fact]
    public async Task Fix_with_OCI_is_offered_on_the_CS0246_line_and_Roslyns_add_using_is_applied_verified_without_a_model()
    {
        var document = await Server.OpenAsync(FilePath);
        var cursor = TextEdits.PositionOf(document.Text, "StringBuilder(");

        // The editor sent no diagnostics: the action comes from the server's own (debounced) Roslyn diagnostics.
        var fix = await WaitForActionAsync(document, cursor, "Fix with OCI: CS0246");
        Assert.Equal("quickfix", (string?)fix["kind"]);
        Assert.True((bool?)fix["isPreferred"]);
        Assert.Equal("oci.fixDiagnostic", (string?)fix["command"]!["command"]);
        var arguments = Assert.Single(fix["command"]!["arguments"]!.AsArray())!.AsObject();
        Assert.Equal("CS0246", (string?)arguments["diagnosticCode"]);
        Assert.Equal(document.Uri, (string?)arguments["textDocument"]!["uri"]);
        Assert.Equal(document.Version, (int?)arguments["textDocument"]!["version"]);
        Assert.Equal(cursor.Line, (int)arguments["range"]!["start"]!["line"]!);

        var mark = Server.Mark();
        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.Equal(0, (int)result["roundsUsed"]!);
        Assert.Contains("2 tests pass", (string?)result["summary"], StringComparison.Ordinal);
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal("using System.Text;\n\n" + document.Text, TextEdits.Apply(document.Text, edits).ReplaceLineEndings("\n"));
        var progress = Server.NotificationsSince(mark, "$/progress").Select(p => (string?)p["params"]!["value"]!["message"]).ToList();
        Assert.Contains(progress, m => m?.Contains("running tests", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Refine_selection_is_offered_on_a_selection_with_its_command_and_no_instruction()
    {
        var document = await Server.OpenAsync(FilePath);
        var start = TextEdits.PositionOf(document.Text, "pendingDash = true;");
        var end = (start.Line, start.Character + "pendingDash = true;".Length);

        var actions = await Server.CodeActionsAsync(document, start, end);

        var refine = Action(actions, "Refine selection");
        Assert.Equal("oci.refineSelection", (string?)refine["command"]!["command"]);
        var arguments = Assert.Single(refine["command"]!["arguments"]!.AsArray())!;
        Assert.Equal(LspJson.Range(start.Line, start.Character, end.Line, end.Item2).ToJsonString(), arguments["range"]!.ToJsonString());
        Assert.Null(arguments["instruction"]);
        Assert.Equal("oci.runAndRefine", (string?)Action(actions, "Run & refine From")["command"]!["command"]);
    }

    [Fact]
    public async Task A_model_action_without_a_model_explains_how_to_configure_one()
    {
        var document = await Server.OpenAsync(FilePath);
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "foreach"))));

        Assert.Equal("noModel", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("oci.model.backend", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
    }

    [Fact]
    public async Task A_diagnostic_that_is_not_there_answers_notRun_with_the_reason()
    {
        var document = await Server.OpenAsync(FilePath);

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, (0, 0), diagnosticCode: "CS0029")));

        Assert.Equal("notRun", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.Contains("no longer reports CS0029", (string?)result["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_on_a_document_that_is_not_open_answers_32602()
    {
        var uri = EndToEndServer.UriOf(Server.Workspace.PathOf("tests/TextTools.Tests/SlugTests.cs"));
        var response = await Server.Client.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = "oci.runAndRefine",
            ["arguments"] = new JsonArray(LspJson.RefineArguments(uri, 1, LspJson.Range(7, 4, 7, 4))),
        });

        Assert.Equal(-32602, LspJson.ErrorCode(response));
        Assert.Contains("not open", (string?)response["error"]!["message"], StringComparison.Ordinal);
    }

    /// <summary>Semantic diagnostics are computed after a short debounce: ask again as an editor does on the next cursor move.</summary>
    private async Task<JsonObject> WaitForActionAsync(OpenDocument document, (int Line, int Character) position, string titleStart)
    {
        var deadline = DateTime.UtcNow + OCI.Testing.TestWaits.Seconds(60);
        while (true)
        {
            var actions = await Server.CodeActionsAsync(document, position);
            if (actions.OfType<JsonObject>().Any(a => ((string?)a["title"])?.StartsWith(titleStart, StringComparison.Ordinal) == true) || DateTime.UtcNow > deadline)
            {
                return Action(actions, titleStart);
            }
            await Task.Delay(200);
        }
    }
}
