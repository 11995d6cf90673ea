namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// The load path through the real server process, on a copy of samples/FixDiagnostic (Slug.cs lacks using System.Text:
/// CS0246), the file open while the workspace loads as an editor restoring its tabs: the first codeAction after the
/// load is reported already lists "Fix with OCI: CS0246" (its diagnostics were computed during the load, not on that
/// request), and a restarted server on the same folder serves the solution from the project load cache.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class LoadPathEndToEndTests
{
    private const string FilePath = "src/TextTools/Slug.cs";

    [Fact]
    public async Task The_first_code_action_after_the_load_lists_the_fix_and_a_restart_loads_from_the_project_load_cache()
    {
        using var workspace = WorkspaceCopy.OfSample("FixDiagnostic");
        await using (var cold = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel(), openWhileLoading: [FilePath]))
        {
            await AssertFirstCodeActionListsTheFixAsync(cold);
            Assert.DoesNotContain(cold.Since(0), m => ProgressMessage(m)?.Contains("from the load cache", StringComparison.Ordinal) == true);
        }

        await using var restarted = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel(), openWhileLoading: [FilePath]);
        await AssertFirstCodeActionListsTheFixAsync(restarted);
        Assert.Contains(restarted.Since(0), m => ProgressMessage(m)?.Contains("from the load cache", StringComparison.Ordinal) == true);
    }

    private static async Task AssertFirstCodeActionListsTheFixAsync(EndToEndServer server)
    {
        var document = await server.OpenAsync(FilePath);
        var actions = await server.CodeActionsAsync(document, TextEdits.PositionOf(document.Text, "StringBuilder("));
        var titles = actions.Select(a => (string?)a!["title"]).ToList();
        Assert.Contains(titles, t => t?.StartsWith("Fix with OCI: CS0246", StringComparison.Ordinal) == true);
    }

    private static string? ProgressMessage(JsonObject message) =>
        (string?)message["method"] == "$/progress" ? (string?)message["params"]?["value"]?["message"] : null;
}
