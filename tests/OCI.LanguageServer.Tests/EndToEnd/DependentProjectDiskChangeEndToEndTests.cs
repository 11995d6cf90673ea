namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// A file of a library changes on disk while the editor shows a file of a project that references it (a pull, a
/// checkout, another tool): the open file's diagnostics must follow the library as <c>dotnet build</c> would, never lose
/// the reference. The Shapes fixture (a library and its xunit tests, never built) under the real server; the open file
/// is the tests' PolygonTests.cs, and the client sends the didChangeWatched events an editor would.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class DependentProjectDiskChangeEndToEndTests
{
    private const string TestsPath = "Shapes.Tests/PolygonTests.cs";
    private const string LibraryPath = "Shapes/Polygon.cs";
    private const string LibraryProject = "Shapes/Shapes.csproj";

    [Fact]
    public async Task A_comment_a_rename_and_a_closed_buffer_in_the_library_give_the_open_test_file_what_the_build_gives()
    {
        using var workspace = WorkspaceCopy.OfFixture("Shapes");
        var original = File.ReadAllText(workspace.PathOf(LibraryPath));
        await using var server = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel());
        var tests = await server.OpenAsync(TestsPath);
        Assert.Empty(await server.DiagnosticsAsync(tests));

        // (a) A comment in the closed library file: nothing to report in the tests.
        await WriteAndNotifyAsync(server, LibraryPath, "// The points in order.\n" + original);
        Assert.Empty(await server.DiagnosticsAsync(tests));
        Assert.DoesNotContain(Titles(await server.CodeActionsAsync(tests, TextEdits.PositionOf(tests.Text, "Polygon()"))), t => t.StartsWith("Fix with OCI", StringComparison.Ordinal));

        // (b) A rename in the closed library file: the call site in the tests, and the verified fix that renames the call.
        await WriteAndNotifyAsync(server, LibraryPath, Renamed(original));
        var callSite = TextEdits.PositionOf(tests.Text, "Translate(3, 4)");
        Assert.Equal([$"error CS1061 {callSite.Line}:{callSite.Character}"], await server.DiagnosticsAsync(tests));
        await AssertRenamingFixAsync(server, tests, callSite);

        // Back as it was: no error.
        await WriteAndNotifyAsync(server, LibraryPath, original);
        Assert.Empty(await server.DiagnosticsAsync(tests));

        // (d) The library file open in another buffer (the editor's text is the truth while it is open), then closed
        // after the rename reached the disk: from then on the disk's text counts.
        var library = await server.OpenAsync(LibraryPath);
        await WriteAndNotifyAsync(server, LibraryPath, Renamed(original));
        Assert.Empty(await server.DiagnosticsAsync(tests));
        await server.CloseAsync(library);
        Assert.Equal([$"error CS1061 {callSite.Line}:{callSite.Character}"], await server.DiagnosticsAsync(tests));
        await AssertRenamingFixAsync(server, tests, callSite);
    }

    [Fact]
    public async Task A_checkout_that_changes_the_library_and_its_project_file_gives_the_open_test_file_what_the_build_gives()
    {
        using var workspace = WorkspaceCopy.OfFixture("Shapes");
        var original = File.ReadAllText(workspace.PathOf(LibraryPath));
        GitRepository.Git(workspace, "init", "-q", "-b", "main");
        GitRepository.Git(workspace, "add", "-A");
        GitRepository.Git(workspace, "commit", "-q", "-m", "main");
        GitRepository.Git(workspace, "checkout", "-q", "-b", "renamed");
        File.WriteAllText(workspace.PathOf(LibraryPath), Renamed(original));
        File.WriteAllText(workspace.PathOf(LibraryProject), "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <Description>Polygons</Description>\n  </PropertyGroup>\n</Project>\n");
        GitRepository.Git(workspace, "commit", "-q", "-a", "-m", "rename Translate to TranslateBy");
        GitRepository.Git(workspace, "checkout", "-q", "main");

        await using var server = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel());
        var tests = await server.OpenAsync(TestsPath);
        Assert.Empty(await server.DiagnosticsAsync(tests));
        var callSite = TextEdits.PositionOf(tests.Text, "Translate(3, 4)");

        await CheckoutAsync(server, "renamed");
        Assert.Equal([$"error CS1061 {callSite.Line}:{callSite.Character}"], await server.DiagnosticsAsync(tests));
        await AssertRenamingFixAsync(server, tests, callSite);

        await CheckoutAsync(server, "main");
        Assert.Empty(await server.DiagnosticsAsync(tests));
    }

    [Fact]
    public async Task A_restarted_server_serving_from_the_load_cache_gives_the_open_test_file_what_the_build_gives()
    {
        using var workspace = WorkspaceCopy.OfFixture("Shapes");
        var original = File.ReadAllText(workspace.PathOf(LibraryPath));
        await using (var first = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel()))
        {
            Assert.Empty(await first.DiagnosticsAsync(await first.OpenAsync(TestsPath)));
        }

        // The same folder again: the solution comes from the project load cache, MSBuild confirms it in the background.
        await using var server = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel(), openWhileLoading: [TestsPath]);
        Assert.Contains(server.Since(0), m => ((string?)m["params"]?["value"]?["message"])?.Contains("from the load cache", StringComparison.Ordinal) == true);
        var tests = await server.OpenAsync(TestsPath);
        await WriteAndNotifyAsync(server, LibraryPath, "// The points in order.\n" + original);
        Assert.Empty(await server.DiagnosticsAsync(tests));
        await WriteAndNotifyAsync(server, LibraryPath, Renamed(original));
        var callSite = TextEdits.PositionOf(tests.Text, "Translate(3, 4)");
        Assert.Equal([$"error CS1061 {callSite.Line}:{callSite.Character}"], await server.DiagnosticsAsync(tests));
        await AssertRenamingFixAsync(server, tests, callSite);
        // Still so once MSBuild's solution has replaced the cached one.
        Assert.Contains("MSBuild confirmed the solution from the load cache", await server.Process.WaitForStderrAsync("MSBuild confirmed the solution from the load cache", EndToEndServer.LoadTimeout), StringComparison.Ordinal);
        Assert.Equal([$"error CS1061 {callSite.Line}:{callSite.Character}"], await server.DiagnosticsAsync(tests));
    }

    /// <summary>A real <c>git checkout</c>, then the events a client's watcher sends for what it rewrote; waits for the reload the project file asks for.</summary>
    private static async Task CheckoutAsync(EndToEndServer server, string branch)
    {
        var mark = server.Mark();
        GitRepository.Git(server.Workspace, "checkout", "-q", branch);
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(
                new JsonObject { ["uri"] = EndToEndServer.UriOf(server.Workspace.PathOf(LibraryPath)), ["type"] = 2 },
                new JsonObject { ["uri"] = EndToEndServer.UriOf(server.Workspace.PathOf(LibraryProject)), ["type"] = 2 }),
        });
        await server.WaitSinceAsync(mark, m => (string?)m["method"] == "window/logMessage"
            && ((string?)m["params"]?["message"])?.StartsWith("Reloaded", StringComparison.Ordinal) == true, "the reload after the checkout");
    }

    private static string Renamed(string polygon) =>
        polygon.Replace("public void Translate(", "public void TranslateBy(", StringComparison.Ordinal);

    /// <summary>The error offers "Fix with OCI", and the fix verified in the background renames the call.</summary>
    private static async Task AssertRenamingFixAsync(EndToEndServer server, OpenDocument tests, (int Line, int Character) callSite)
    {
        Assert.Contains(Titles(await server.CodeActionsAsync(tests, callSite)), t => t.StartsWith("Fix with OCI: CS1061", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + EndToEndServer.CommandTimeout;
        while (true)
        {
            var verified = (await server.CodeActionsAsync(tests, callSite)).OfType<JsonObject>().FirstOrDefault(a => a["edit"] is not null);
            if (verified is not null)
            {
                var edits = SingleVersionedEdit(new JsonObject { ["params"] = new JsonObject { ["edit"] = verified["edit"]!.DeepClone() } }, tests);
                Assert.Equal(tests.Text.Replace("polygon.Translate(3, 4)", "polygon.TranslateBy(3, 4)", StringComparison.Ordinal), TextEdits.Apply(tests.Text, edits));
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no verified fix at the call site; server stderr:\n{EndToEndServer.Tail(server.Process.Stderr)}");
            await Task.Delay(250);
        }
    }

    private static async Task WriteAndNotifyAsync(EndToEndServer server, string relative, string text)
    {
        await File.WriteAllTextAsync(server.Workspace.PathOf(relative), text);
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(new JsonObject { ["uri"] = EndToEndServer.UriOf(server.Workspace.PathOf(relative)), ["type"] = 2 }),
        });
    }

    private static IEnumerable<string> Titles(JsonArray actions) => actions.OfType<JsonObject>().Select(a => (string?)a["title"] ?? "");
}
