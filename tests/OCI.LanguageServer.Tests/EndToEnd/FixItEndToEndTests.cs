namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// One real server process, no model, on a copy of samples/FixDiagnostic (Slug.cs lacks using System.Text), with a
/// client that asks for <c>oci/fixIts</c>, supports change annotations, and turns on <c>oci.refine.previewEdits</c>.
/// </summary>
public sealed class FixItSample() : ServerOnWorkspace(WorkspaceCopy.OfSample("FixDiagnostic"),
    new JsonObject
    {
        ["model"] = new JsonObject { ["backend"] = "none" },
        ["refine"] = new JsonObject { ["previewEdits"] = true },
    },
    FixItCapabilities())
{
    private static JsonObject FixItCapabilities()
    {
        var capabilities = EndToEndServer.Capabilities();
        capabilities["experimental"] = new JsonObject { ["ociFixIts"] = true };
        capabilities["workspace"]!["workspaceEdit"]!["changeAnnotationSupport"] = new JsonObject { ["groupsOnLabel"] = false };
        return capabilities;
    }
}

/// <summary>
/// Verified fix-its through the real server: after the document opens, the background worker verifies Roslyn's
/// add-using with a real build and the sample's tests, publishes it as <c>oci/fixIts</c> for that version and lists it
/// first in codeAction as a preferred quick fix with its edit; the next keystroke withdraws it. And the preview
/// annotation of a refine command's edit.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class FixItEndToEndTests(FixItSample fixture) : ServerOnWorkspaceTests<FixItSample>(fixture)
{
    private const string FilePath = "src/TextTools/Slug.cs";
    private const string Title = "Add using System.Text — builds, 2/2 tests";

    [Fact]
    public async Task A_verified_fix_it_arrives_for_the_open_version_is_a_ready_quick_fix_and_is_withdrawn_by_the_next_change()
    {
        var mark = Server.Mark();
        var document = await Server.OpenAsync(FilePath);
        try
        {
            // Shown first on its in-memory build (it compiles, the tests that reach the error's member pass), then titled
            // with what the real build and the whole suite verified.
            var shown = await Server.WaitSinceAsync(mark, m => (string?)m["method"] == "oci/fixIts" && m["params"]?["fixIts"]?.AsArray().Count > 0,
                "a non-empty oci/fixIts");
            // (Before the shadow copy was ever built there is no in-memory round: the first one is then the real build's.)
            var firstTitle = (string?)shown["params"]!["fixIts"]![0]!["title"];
            Assert.True(firstTitle == Title || firstTitle?.EndsWith("· confirming", StringComparison.Ordinal) == true, firstTitle);
            var notification = await Server.WaitSinceAsync(mark, m => (string?)m["method"] == "oci/fixIts" && (string?)m["params"]?["fixIts"]?[0]?["title"] == Title,
                "the confirmed oci/fixIts");
            var parameters = notification["params"]!;
            Assert.Equal(document.Uri, (string?)parameters["textDocument"]!["uri"]);
            Assert.Equal(document.Version, (int?)parameters["textDocument"]!["version"]);
            var fixIt = Assert.Single(parameters["fixIts"]!.AsArray())!;
            Assert.Equal(Title, (string?)fixIt["title"]);
            Assert.Equal("CS0246", (string?)fixIt["diagnosticCode"]);
            var error = TextEdits.PositionOf(document.Text, "StringBuilder(");
            Assert.Equal(error.Line, (int)fixIt["range"]!["start"]!["line"]!);
            var edits = SingleDocumentEdit(fixIt["edit"]!, document);
            Assert.Equal("using System.Text;\n\n" + document.Text, TextEdits.Apply(document.Text, edits).ReplaceLineEndings("\n"));

            // codeAction answers from the store: the fix-it first, preferred, with its edit and no command round trip.
            var actions = await Server.CodeActionsAsync(document, error);
            var first = actions[0]!.AsObject();
            Assert.Equal(Title, (string?)first["title"]);
            Assert.Equal("quickfix", (string?)first["kind"]);
            Assert.True((bool?)first["isPreferred"]);
            Assert.Null(first["command"]);
            Assert.Equal(fixIt["edit"]!.ToJsonString(), first["edit"]!.ToJsonString());
            Assert.NotNull(Action(actions, "Fix with OCI: CS0246")); // the command action is still there

            // A keystroke: the fix-it no longer applies, the server withdraws it for the new version at once.
            var typed = Server.Mark();
            await Server.ReplaceTextAsync(document, document.Text.Replace("public static class Slug", "public static class Slug ", StringComparison.Ordinal));
            var withdrawn = await Server.WaitSinceAsync(typed, m => (string?)m["method"] == "oci/fixIts", "oci/fixIts withdrawing the set");
            Assert.Equal(document.Version, (int?)withdrawn["params"]!["textDocument"]!["version"]);
            Assert.Empty(withdrawn["params"]!["fixIts"]!.AsArray());
            var after = await Server.CodeActionsAsync(document, error);
            Assert.DoesNotContain(after.OfType<JsonObject>(), a => (string?)a["title"] == Title && a["edit"] is not null && (int?)a["edit"]!["documentChanges"]![0]!["textDocument"]!["version"] != document.Version);

            // After the pause, the new version gets its own verified fix-it.
            var again = await Server.WaitSinceAsync(typed, m => (string?)m["method"] == "oci/fixIts" && m["params"]?["fixIts"]?.AsArray().Count > 0,
                "the fix-it of the new version");
            Assert.Equal(document.Version, (int?)again["params"]!["textDocument"]!["version"]);
        }
        finally
        {
            await Server.RestoreAsync(document);
        }
    }

    [Fact]
    public async Task With_previewEdits_the_refine_edit_carries_a_change_annotation_that_needs_confirmation()
    {
        var document = await Server.OpenAsync(FilePath);
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "StringBuilder("), diagnosticCode: "CS0246")));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        var edit = Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit"))["params"]!["edit"]!;
        var annotation = edit["changeAnnotations"]!["oci.preview"]!;
        Assert.True((bool?)annotation["needsConfirmation"]);
        Assert.False(string.IsNullOrEmpty((string?)annotation["label"]));
        var edits = edit["documentChanges"]![0]!["edits"]!.AsArray();
        Assert.All(edits, e => Assert.Equal("oci.preview", (string?)e!["annotationId"]));
    }

    private static JsonArray SingleDocumentEdit(JsonNode edit, OpenDocument document)
    {
        var change = Assert.Single(edit["documentChanges"]!.AsArray())!;
        Assert.Equal(document.Uri, (string?)change["textDocument"]!["uri"]);
        Assert.Equal(document.Version, (int?)change["textDocument"]!["version"]);
        return change["edits"]!.AsArray();
    }
}
