namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>tests/fixtures/CrlfTabs (CRLF line breaks, tab indentation, as CsvHelper) with a scripted model.</summary>
public sealed class CrlfTabsWorkspaceWithScriptedModel() : ScriptedModelWorkspace("CrlfTabs");

/// <summary>
/// Every edit the real server sends is written in the target file's own style: the model's reply (LF, four spaces) and
/// the member Roslyn generates in a file that is not open (LF, four spaces by Roslyn's defaults) both come out as CRLF
/// and tabs, and the closed file's edit, applied to the file on disk, only inserts lines.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class FileStyleEndToEndTests(CrlfTabsWorkspaceWithScriptedModel fixture) : ServerOnWorkspaceTests<CrlfTabsWorkspaceWithScriptedModel>(fixture), IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Tests that type into a document put it back, so every test starts from the fixture's text.</summary>
    public async Task DisposeAsync()
    {
        await Server.RestoreAsync(await Server.OpenAsync("Shapes/Rectangle.cs"));
        await Server.RestoreAsync(await Server.OpenAsync("Shapes/Drawing.cs"));
    }

    [Fact]
    public async Task A_models_reply_in_LF_and_four_spaces_is_sent_as_CRLF_and_tabs()
    {
        Fixture.Model.Current = new ScriptedChatClient("```csharp\npublic int Area()\n{\n    var area = Width * Height;\n    return area;\n}\n```");
        var document = await Server.OpenAsync("Shapes/Rectangle.cs");
        Assert.Contains("\r\n\t\tthrow new NotImplementedException();\r\n", document.Text, StringComparison.Ordinal);
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.generate", EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "throw new"))));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        var edited = TextEdits.Apply(document.Text, edits);
        Assert.Equal(document.Text.Replace("\t\tthrow new NotImplementedException();\r\n", "\t\tvar area = Width * Height;\r\n\t\treturn area;\r\n", StringComparison.Ordinal), edited);
        Assert.All(edits, edit => Assert.DoesNotContain("\n", ((string?)edit!["newText"])!.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Roslyns_member_generated_in_a_closed_CRLF_tab_file_is_CRLF_and_tabs_and_only_inserts_lines()
    {
        Fixture.Model.Current = new ScriptedChatClient("No code.");
        var shelfPath = Server.Workspace.PathOf("Shapes/Shelf.cs");
        var document = await Server.OpenAsync("Shapes/Drawing.cs");
        await Server.ReplaceTextAsync(document, document.Text.Replace("shelf.Count == 0", "shelf.IsBare", StringComparison.Ordinal));
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "IsBare"), diagnosticCode: "CS1061")));

        // No test reaches the generated property: applied on its compile, verified only by the confirmation that follows.
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.False((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal("pending", (string?)result["verification"]!["realBuild"]);
        var applyEdit = Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        var documentChanges = applyEdit["params"]!["edit"]!["documentChanges"]!.AsArray();
        var shelfChange = Assert.Single(documentChanges, c => (string?)c!["textDocument"]?["uri"] == EndToEndServer.UriOf(shelfPath))!;
        Assert.Null((int?)shelfChange["textDocument"]!["version"]);
        var disk = await File.ReadAllTextAsync(shelfPath);
        var edited = TextEdits.Apply(disk, shelfChange["edits"]!.AsArray());

        Assert.Contains("IsBare", edited, StringComparison.Ordinal);
        var lines = edited.Split("\r\n");
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
        Assert.All(lines, line => Assert.False(line.StartsWith(' '), $"a line indented with spaces: '{line}'"));
        Assert.Contains(lines, line => line.StartsWith('\t') && line.Contains("bool IsBare", StringComparison.Ordinal));
        // Only lines were inserted: every line of the file on disk is still there, in order, with its CRLF.
        var next = 0;
        var editedLines = edited.Split('\n');
        foreach (var line in disk.Split('\n'))
        {
            while (next < editedLines.Length && editedLines[next] != line) next++;
            Assert.True(next < editedLines.Length, $"the line '{line}' was rewritten:\n{edited}");
            next++;
        }
    }
}
