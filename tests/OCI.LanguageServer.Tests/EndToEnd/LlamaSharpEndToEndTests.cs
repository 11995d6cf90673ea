namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// The real LLamaSharp backend inside the real server process, with the tiny stories260K GGUF from ../shared/models:
/// it proves the wiring (settings → model load → generation → extraction → verification → outcome). The model writes
/// children's stories, not C#, so the loop must end honestly: nothing verified, nothing worse offered, server still up.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class LlamaSharpEndToEndTests
{
    private static string StoriesModel => Path.Combine(FixturePaths.Models, "stories260K.gguf");

    [Fact]
    public async Task Generate_with_a_real_GGUF_model_completes_and_reports_honestly_that_nothing_verified()
    {
        Assert.True(File.Exists(StoriesModel), $"{StoriesModel} is missing (set OCI_SHARED to the folder holding models/)");
        using var workspace = WorkspaceCopy.OfFixture("StubbedMethod");
        await using var server = await EndToEndServer.StartAsync(workspace, new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["backend"] = "llamaSharp",
                ["path"] = StoriesModel,
                ["contextSize"] = 1024,
                ["maxTokens"] = 48,
                ["threads"] = 2,
            },
            ["refine"] = new JsonObject { ["maxRounds"] = 2 },
        });
        var status = await server.Client.WaitForNotificationAsync("oci/status", timeout: TimeSpan.FromSeconds(30));
        Assert.Equal("llamaSharp", (string?)status["params"]!["backend"]);
        var document = await server.OpenAsync("Geometry/Rectangle.cs");
        var mark = server.Mark();

        var result = Result(await server.RunCommandAsync("oci.generate",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "throw new"))));

        Assert.False((bool)result["verified"]!, result.ToJsonString());
        Assert.False((bool)result["applied"]!, result.ToJsonString());
        Assert.Contains((string?)result["stopReason"], new[] { "noCode", "roundLimit" });
        Assert.InRange((int)result["roundsUsed"]!, 1, 2);
        Assert.Contains("unchanged", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Empty(server.ServerRequestsSince(mark, "workspace/applyEdit"));
        // The model really generated: the loop logged its round (the reply held no code, or code that did not verify).
        Assert.Contains("Round 0", server.Process.Stderr, StringComparison.Ordinal);

        var actions = await server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "throw new"));
        Action(actions, "Generate implementation of Area");
    }
}
