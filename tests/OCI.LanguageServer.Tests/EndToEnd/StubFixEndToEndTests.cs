namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>One real server, no model, on a copy of tests/fixtures/StubFix, for a client without change annotation support.</summary>
public sealed class StubFixWithoutAnnotations() : ServerOnWorkspace(WorkspaceCopy.OfFixture("StubFix"), WithoutModel());

/// <summary>The same, for a client that advertises <c>workspace.workspaceEdit.changeAnnotationSupport</c> (previewEdits stays off).</summary>
public sealed class StubFixWithAnnotations() : ServerOnWorkspace(WorkspaceCopy.OfFixture("StubFix"), WithoutModel(), AnnotationCapabilities())
{
    private static JsonObject AnnotationCapabilities()
    {
        var capabilities = EndToEndServer.Capabilities();
        capabilities["workspace"]!["workspaceEdit"]!["changeAnnotationSupport"] = new JsonObject { ["groupsOnLabel"] = false };
        return capabilities;
    }
}

/// <summary>What the stub fix-diagnostic tests share: Shelf.Put calls <c>Items.ZqAdd(item)</c> (CS1061, a misspelt Add).</summary>
internal static class StubFix
{
    public const string ShelfPath = "Inventory/Shelf.cs";

    public const string WhatFails = "compiles; 3 tests fail: NotImplementedException from the generated ZqAdd";

    public static Task<JsonObject> FixAsync(EndToEndServer server, OpenDocument shelf) =>
        server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(shelf, TextEdits.PositionOf(shelf.Text, "ZqAdd"), diagnosticCode: "CS1061"));

    /// <summary>Not verified, not applied, offered; the summary names the stub and the tests that reach it.</summary>
    public static JsonObject AssertOffered(JsonObject response)
    {
        var result = Result(response);
        Assert.False((bool)result["verified"]!, result.ToJsonString());
        Assert.False((bool)result["applied"]!, result.ToJsonString());
        Assert.True((bool?)result["offered"], result.ToJsonString());
        var summary = (string)result["summary"]!;
        Assert.Contains("Roslyn's fix \"Generate method 'ZqAdd'\" compiles but adds a stub that throws NotImplementedException (ZqAdd), reached by 3 tests", summary, StringComparison.Ordinal);
        Assert.Contains("offered for you to confirm, not applied", summary, StringComparison.Ordinal);
        return result;
    }
}

/// <summary>
/// A client that cannot confirm an edit gets none for Roslyn's only compiling fix, "Generate method 'ZqAdd'" (a stub
/// the three tests reach): the result says it is offered and what fails, and no workspace/applyEdit is sent.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class StubFixWithoutAnnotationsEndToEndTests(StubFixWithoutAnnotations fixture) : ServerOnWorkspaceTests<StubFixWithoutAnnotations>(fixture)
{
    [Fact]
    public async Task The_generated_stub_is_named_with_what_fails_and_no_edit_is_sent()
    {
        var shelf = await Server.OpenAsync(StubFix.ShelfPath);
        var mark = Server.Mark();

        var result = StubFix.AssertOffered(await StubFix.FixAsync(Server, shelf));

        Assert.Contains("cannot ask you to confirm an edit", (string)result["summary"]!, StringComparison.Ordinal);
        Assert.Contains("\"Generate method 'ZqAdd'\" " + StubFix.WhatFails, (string)result["summary"]!, StringComparison.Ordinal);
        Assert.Empty(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        var shown = Server.NotificationsSince(mark, "window/showMessage").Select(m => (string?)m["params"]!["message"]).ToList();
        Assert.Contains(shown, m => m?.Contains(StubFix.WhatFails, StringComparison.Ordinal) == true);
    }
}

/// <summary>
/// A client with change annotation support gets the stub only as an edit that needs confirmation, labelled with what
/// fails; declined (as a user would), nothing is applied.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class StubFixWithAnnotationsEndToEndTests(StubFixWithAnnotations fixture) : ServerOnWorkspaceTests<StubFixWithAnnotations>(fixture)
{
    [Fact]
    public async Task The_generated_stub_is_offered_as_an_edit_that_needs_confirmation_and_a_declined_offer_applies_nothing()
    {
        var shelf = await Server.OpenAsync(StubFix.ShelfPath);
        var accept = Server.Client.ServerRequestHandler;
        Server.Client.ServerRequestHandler = (method, parameters) => method == "workspace/applyEdit"
            ? new JsonObject { ["applied"] = false, ["failureReason"] = "declined in the preview" }
            : accept(method, parameters);
        try
        {
            var mark = Server.Mark();

            var result = StubFix.AssertOffered(await StubFix.FixAsync(Server, shelf));

            Assert.Contains("The editor did not apply the edit: declined in the preview", (string)result["summary"]!, StringComparison.Ordinal);
            var applyEdit = Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
            var edit = applyEdit["params"]!["edit"]!;
            var annotation = edit["changeAnnotations"]!["oci.preview"]!;
            Assert.True((bool?)annotation["needsConfirmation"]);
            Assert.Equal("OCI: Fix diagnostic: unverified, " + StubFix.WhatFails, (string?)annotation["label"]);
            Assert.Equal("OCI: Fix diagnostic: unverified, " + StubFix.WhatFails, (string?)applyEdit["params"]!["label"]);
            var change = Assert.Single(edit["documentChanges"]!.AsArray())!;
            Assert.EndsWith("/Inventory/ItemList.cs", (string?)change["textDocument"]!["uri"], StringComparison.Ordinal);
            var edits = change["edits"]!.AsArray();
            Assert.All(edits, e => Assert.Equal("oci.preview", (string?)e!["annotationId"]));
            Assert.Contains(edits, e => ((string?)e!["newText"])?.Contains("throw new NotImplementedException()", StringComparison.Ordinal) == true);
        }
        finally
        {
            Server.Client.ServerRequestHandler = accept;
        }
    }
}
