namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// Bad input on every side at once, in one real server process: tests/fixtures/BrokenProject (Good.csproj loads,
/// Broken.csproj is not well-formed XML) and a LlamaSharp model path that names no file.
/// </summary>
public sealed class BrokenProjectWithMissingModel() : ServerOnWorkspace(WorkspaceCopy.OfFixture("BrokenProject"),
    new JsonObject { ["model"] = new JsonObject { ["backend"] = "llamaSharp", ["path"] = MissingModel } })
{
    public const string MissingModel = "/nonexistent.gguf";
}

/// <summary>
/// A project that does not load and a model that does not exist are reported clearly, commands answer with the
/// reason instead of failing, and the server keeps serving.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class BadInputEndToEndTests(BrokenProjectWithMissingModel fixture) : ServerOnWorkspaceTests<BrokenProjectWithMissingModel>(fixture)
{
    [Fact]
    public async Task The_project_that_does_not_load_is_shown_to_the_user_and_the_rest_still_serves()
    {
        var shown = Server.NotificationsSince(0, "window/showMessage").Select(m => m["params"]!).ToList();
        var problem = Assert.Single(shown, m => ((string?)m["message"])?.Contains("Broken.csproj", StringComparison.Ordinal) == true);
        Assert.Equal(2, (int)problem["type"]!); // warning: the rest of the workspace works
        Assert.Contains("Loaded 1 project(s)", (string?)problem["message"], StringComparison.Ordinal);
        Assert.Contains("problem(s)", (string?)problem["message"], StringComparison.Ordinal);
        Assert.Contains("MSB4025", (string?)problem["message"], StringComparison.Ordinal); // MSBuild's own reason: the XML is broken

        var document = await Server.OpenAsync("Good/Greeter.cs");
        var actions = await Server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "Greet("));
        Action(actions, "Run & refine Greet");
        Assert.False(Server.Process.HasExited);
    }

    [Fact]
    public async Task A_command_on_a_file_of_the_broken_project_answers_notRun_saying_why()
    {
        var document = await Server.OpenAsync("Broken/Thing.cs");
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "Thing"))));

        Assert.Equal("notRun", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        var summary = (string?)result["summary"];
        Assert.Contains("Thing.cs is not part of any loaded project", summary, StringComparison.Ordinal);
        Assert.Contains("(1 loaded, ", summary, StringComparison.Ordinal);
        Assert.Contains(" load problem", summary, StringComparison.Ordinal);
        // The reason its project is missing: the real MSBuild error of Broken.csproj.
        Assert.Contains("The load problem of its folder:", summary, StringComparison.Ordinal);
        Assert.Contains("Broken.csproj", summary, StringComparison.Ordinal);
        Assert.Contains("MSB4025", summary, StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        Assert.Empty(await Server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "Thing")));
    }

    [Fact]
    public async Task A_model_file_that_does_not_exist_is_an_error_status_and_a_command_answers_noModel_naming_it()
    {
        var status = Server.NotificationsSince(0, "oci/status").First()["params"]!;
        Assert.Equal("error", (string?)status["state"]);
        Assert.Equal("llamaSharp", (string?)status["backend"]);
        Assert.Contains(BrokenProjectWithMissingModel.MissingModel, (string?)status["message"], StringComparison.Ordinal);

        var document = await Server.OpenAsync("Good/Greeter.cs");
        var start = TextEdits.PositionOf(document.Text, "\"Hello, \" + name");
        var mark = Server.Mark();
        var result = Result(await Server.RunCommandAsync("oci.refineSelection", EndToEndServer.CommandArguments(
            document, start, (start.Line, start.Character + "\"Hello, \" + name".Length), instruction: "use string interpolation")));

        Assert.Equal("noModel", (string?)result["stopReason"]);
        Assert.False((bool)result["applied"]!);
        Assert.False((bool)result["verified"]!);
        Assert.Contains(BrokenProjectWithMissingModel.MissingModel, (string?)result["summary"], StringComparison.Ordinal);
        Assert.Contains("unchanged", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));

        // Still serving: code actions answer, and a second command gets the same clear answer.
        Action(await Server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "Greet(")), "Run & refine Greet");
        var again = Result(await Server.RunCommandAsync("oci.refineSelection", EndToEndServer.CommandArguments(
            document, start, (start.Line, start.Character + "\"Hello, \" + name".Length), instruction: "use string interpolation")));
        Assert.Equal("noModel", (string?)again["stopReason"]);
        Assert.False(Server.Process.HasExited);
    }
}
