namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// One real server process, no model, on a copy of tests/fixtures/MissingUsings: ImplicitUsings off, Numbers.cs uses
/// <c>List&lt;int&gt;</c> (CS0246) and <c>Math</c> (CS0103) without their usings.
/// </summary>
public sealed class MissingUsingsWithoutModel() : ServerOnWorkspace(WorkspaceCopy.OfFixture("MissingUsings"), WithoutModel());

/// <summary>
/// "Fix with OCI" continues until the workspace compiles: Roslyn's fix for the error asked about leaves another one,
/// so the fix for that one is chained on, in Roslyn's own order (a using before a fully qualified name), verified by a
/// real build and test run, with no model.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class FixChainEndToEndTests(MissingUsingsWithoutModel fixture) : ServerOnWorkspaceTests<MissingUsingsWithoutModel>(fixture)
{
    [Fact]
    public async Task Fixing_the_List_error_chains_both_usings_and_ends_verified_without_a_model()
    {
        var document = await Server.OpenAsync("Stats/Numbers.cs");
        var cursor = TextEdits.PositionOf(document.Text, "List<int>");
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, cursor, diagnosticCode: "CS0246")));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal("verified", (string?)result["stopReason"]);
        Assert.Equal(0, (int)result["roundsUsed"]!);
        var summary = (string?)result["summary"];
        Assert.Contains("using System.Collections.Generic;", summary, StringComparison.Ordinal);
        Assert.Contains("using System;", summary, StringComparison.Ordinal);
        Assert.Contains("2 tests pass", summary, StringComparison.Ordinal);

        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        var fixedText = TextEdits.Apply(document.Text, edits).ReplaceLineEndings("\n");
        var lines = fixedText.Split('\n');
        Assert.Contains("using System.Collections.Generic;", lines);
        Assert.Contains("using System;", lines);
        // Not spelled out in full: the usings come first in Roslyn's order, and the code itself is unchanged.
        Assert.DoesNotContain("System.Collections.Generic.List", fixedText, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Math", fixedText, StringComparison.Ordinal);
        Assert.EndsWith(document.Text.ReplaceLineEndings("\n"), fixedText, StringComparison.Ordinal);
    }
}
