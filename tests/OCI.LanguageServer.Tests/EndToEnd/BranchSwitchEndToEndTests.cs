namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// A <c>git checkout</c> under the real server: a git repository built in the test from the FixDiagnostic sample plus
/// three files. On branch <c>main</c> Caller.cs (open in the editor) calls <c>Greeter.Hello</c> and <c>Legacy.Shout</c>;
/// branch <c>renamed</c> renames Hello to Greet, deletes Legacy.cs and creates Names.cs with the same <c>Legacy.Shout</c>.
/// The checkout happens on disk and the client sends the didChangeWatchedFiles events it watched; the server must then
/// see the new branch: the call site of the renamed method offers the fix, the moved method still resolves, and a task
/// started after the switch verifies against the new branch, its shadow copy's real build included.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class BranchSwitchEndToEndTests
{
    private static void Git(WorkspaceCopy workspace, params string[] arguments) => GitRepository.Git(workspace, arguments);

    private const string CallerPath = "src/TextTools/Caller.cs";

    [Fact]
    public async Task After_a_checkout_and_its_watched_file_events_the_call_site_of_the_renamed_method_offers_the_fix()
    {
        using var workspace = WorkspaceCopy.OfSample("FixDiagnostic");
        Write(workspace, "src/TextTools/Greeter.cs", "namespace TextTools;\n\npublic static class Greeter\n{\n    public static string Hello(string name) => \"Hello \" + name;\n}\n");
        Write(workspace, "src/TextTools/Legacy.cs", "namespace TextTools;\n\npublic static class Legacy\n{\n    public static string Shout(string text) => text.ToUpperInvariant();\n}\n");
        // Probe() calls an [Obsolete] method: a warning (CS0618) that only the semantic diagnostics know, on both branches,
        // so the test can wait until they are in for the version it asks about.
        Write(workspace, CallerPath, "namespace TextTools;\n\npublic static class Caller\n{\n    public static string Welcome(string name) => Legacy.Shout(Greeter.Hello(name));\n\n"
            + "    [System.Obsolete(\"kept for the test\")]\n    public static string Old() => \"\";\n\n    public static string Probe() => Old();\n}\n");
        // The sample's own error (Slug.cs lacks using System.Text) is fixed on both branches, so the build verdict is about the switch.
        Write(workspace, "src/TextTools/Slug.cs", "using System.Text;\n" + File.ReadAllText(workspace.PathOf("src/TextTools/Slug.cs")));
        Git(workspace, "init", "-q", "-b", "main");
        Git(workspace, "add", "-A");
        Git(workspace, "commit", "-q", "-m", "main");
        Git(workspace, "checkout", "-q", "-b", "renamed");
        Write(workspace, "src/TextTools/Greeter.cs", "namespace TextTools;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => \"Hello \" + name;\n}\n");
        File.Delete(workspace.PathOf("src/TextTools/Legacy.cs"));
        Write(workspace, "src/TextTools/Names.cs", "namespace TextTools;\n\npublic static class Legacy\n{\n    public static string Shout(string text) => text.ToUpperInvariant() + \"!\";\n}\n");
        Git(workspace, "add", "-A");
        Git(workspace, "commit", "-q", "-m", "rename Hello to Greet, move Shout");
        Git(workspace, "checkout", "-q", "main");

        var capabilities = EndToEndServer.Capabilities();
        capabilities["workspace"]!["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true };
        await using var server = await EndToEndServer.StartAsync(workspace, new JsonObject { ["model"] = new JsonObject { ["backend"] = "none" } }, capabilities);

        var registration = await server.Client.WaitForAsync(m => (string?)m["method"] == "client/registerCapability", "client/registerCapability", TimeSpan.FromMinutes(1));
        var watchers = registration["params"]!["registrations"]![0]!["registerOptions"]!["watchers"]!.AsArray().Select(w => (string?)w!["globPattern"]).ToList();
        Assert.Contains("**/*.cs", watchers);
        Assert.Contains("**/*.csproj", watchers);

        var caller = await server.OpenAsync(CallerPath);
        var hello = TextEdits.PositionOf(caller.Text, "Hello(name)");
        var shout = TextEdits.PositionOf(caller.Text, "Shout(");
        var probe = TextEdits.PositionOf(caller.Text, "Old();");
        // On main the file compiles: once the semantic diagnostics of this version are in (the CS0618 warning at Probe is
        // listed), there is nothing to fix at the call site.
        await WaitForActionAsync(server, caller, probe, "Fix with OCI: CS0618");
        Assert.DoesNotContain(Titles(await server.CodeActionsAsync(caller, hello)), t => t.StartsWith("Fix with OCI", StringComparison.Ordinal));

        Git(workspace, "checkout", "-q", "renamed");
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray(
                Event(workspace, "src/TextTools/Greeter.cs", 2),
                Event(workspace, "src/TextTools/Legacy.cs", 3),
                Event(workspace, "src/TextTools/Names.cs", 1)),
        });

        var fix = await WaitForActionAsync(server, caller, hello, "Fix with OCI: CS0117");
        Assert.Equal("oci.fixDiagnostic", (string?)fix["command"]!["command"]);
        // Legacy.Shout moved from a deleted file to a created one: still exactly one definition, so no error there.
        Assert.DoesNotContain(Titles(await server.CodeActionsAsync(caller, shout)), t => t.StartsWith("Fix with OCI", StringComparison.Ordinal));
        // The editor's buffer of the open file was kept, not replaced by anything from disk.
        Assert.Equal(File.ReadAllText(workspace.PathOf(CallerPath)), caller.Text);

        // The user follows the rename in the editor; a task started now checks the new branch in memory and in the
        // shadow copy's real build: Greet exists there, and Legacy.Shout is defined once (Legacy.cs is gone from it).
        await server.ReplaceTextAsync(caller, caller.Text.Replace("Greeter.Hello(name)", "Greeter.Greet(name)", StringComparison.Ordinal));
        var result = Result(await server.RunCommandAsync("oci.runAndRefine", EndToEndServer.CommandArguments(caller, TextEdits.PositionOf(caller.Text, "Legacy.Shout"))));
        Assert.Equal("notRun", (string?)result["stopReason"]);
        // No test reaches Welcome: the whole suite passes, and the summary says that rather than "its tests pass".
        Assert.Contains("it compiles and the whole suite passes", (string?)result["summary"], StringComparison.Ordinal);
    }

    private static IEnumerable<string> Titles(JsonArray actions) => actions.OfType<JsonObject>().Select(a => (string?)a["title"] ?? "");

    private static JsonObject Event(WorkspaceCopy workspace, string relative, int type) =>
        new() { ["uri"] = EndToEndServer.UriOf(workspace.PathOf(relative)), ["type"] = type };

    private static void Write(WorkspaceCopy workspace, string relative, string text) => File.WriteAllText(workspace.PathOf(relative), text);

    /// <summary>Semantic diagnostics are computed after a short debounce: ask again as an editor does on the next cursor move.</summary>
    private static async Task<JsonObject> WaitForActionAsync(EndToEndServer server, OpenDocument document, (int Line, int Character) position, string titleStart)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var actions = await server.CodeActionsAsync(document, position);
            if (Titles(actions).Any(t => t.StartsWith(titleStart, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return Action(actions, titleStart);
            }
            await Task.Delay(200);
        }
    }
}
