using Microsoft.Extensions.AI;

namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// tests/fixtures/PrivateHelper: Stats.Square is a private helper with a logic bug (x * 2) that no test names, reached by
/// two failing tests through Stats.SumOfSquares; GreetingTests.Shout_is_loud fails before any change and reaches the
/// private Greeting.Format; nothing reaches Unreached.Describe. The known outcomes measured at load come from this code,
/// so they hold the helper's failing tests: the verdict rules must not excuse them.
/// </summary>
public sealed class PrivateHelperWorkspaceWithScriptedModel() : ScriptedModelWorkspace("PrivateHelper");

/// <summary>Which tests judge a change, and which failures may be excused, through the real server on real code.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class VerdictEndToEndTests(PrivateHelperWorkspaceWithScriptedModel fixture) : ServerOnWorkspaceTests<PrivateHelperWorkspaceWithScriptedModel>(fixture), IAsyncLifetime
{
    private const string StatsPath = "Lib/Stats.cs";
    private const string GreetingPath = "Lib/Greeting.cs";
    private const string UnreachedPath = "Lib/Unreached.cs";

    /// <summary>Compiles; still wrong (x + x is x * 2).</summary>
    private const string WrongSquare = "```csharp\nprivate static int Square(int x)\n{\n    return x + x;\n}\n```";

    private const string RightSquare = "```csharp\nprivate static int Square(int x)\n{\n    return x * x;\n}\n```";

    private ScriptedChatClient UseModel(ScriptedChatClient model) => Fixture.Model.Current = model;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var path in new[] { StatsPath, GreetingPath, UnreachedPath }) await Server.RestoreAsync(await Server.OpenAsync(path));
    }

    private static string LastUserTurn(IReadOnlyList<ChatMessage> request) => request.Last(m => m.Role == ChatRole.User).Text;

    [Fact]
    public async Task Run_and_refine_on_a_private_helper_never_excuses_the_failing_tests_that_reach_it_and_asks_the_model()
    {
        var model = UseModel(new ScriptedChatClient(WrongSquare, RightSquare));
        var document = await Server.OpenAsync(StatsPath);
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "return x * 2"))));

        // Not "already passes": the two tests that reach Square through SumOfSquares fail, and the model was asked.
        Assert.NotEqual("notRun", (string?)result["stopReason"]);
        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        Assert.Equal(2, model.Requests.Count);
        var first = LastUserTurn(model.Requests[0]);
        Assert.Contains("FAILED Lib.Tests.StatsTests.SumOfSquares_of_1_2_3_is_14", first, StringComparison.Ordinal);
        Assert.Contains("FAILED Lib.Tests.StatsTests.SumOfSquares_of_4_is_16", first, StringComparison.Ordinal);
        // The wrong reply still fails them: its feedback says so, it was not excused as "failed before".
        var feedback = LastUserTurn(model.Requests[1]);
        Assert.Contains("SumOfSquares_of_4_is_16", feedback, StringComparison.Ordinal);
        var verification = result["verification"]!;
        Assert.Equal(3, (int)verification["impactedTests"]!); // the three tests of SumOfSquares reach Square
        Assert.DoesNotContain("SumOfSquares", verification["knownFailures"]!.ToJsonString(), StringComparison.Ordinal);
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Equal(document.Text.Replace("return x * 2;", "return x * x;", StringComparison.Ordinal), TextEdits.Apply(document.Text, edits));
    }

    [Fact]
    public async Task A_fix_whose_reaching_test_failed_the_same_way_before_is_no_worse_and_says_which_and_where_it_was_measured()
    {
        UseModel(new ScriptedChatClient("no model should be needed"));
        var document = await Server.OpenAsync(GreetingPath);
        // A typo in the unsaved buffer: the saved file is the last state that compiled.
        await Server.ReplaceTextAsync(document, document.Text.Replace("using System.Globalization;\n", "", StringComparison.Ordinal));
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "CultureInfo"), diagnosticCode: "CS0103")));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        var verification = result["verification"]!;
        Assert.Equal("Lib.Tests.GreetingTests.Shout_is_loud", (string?)Assert.Single(verification["knownFailures"]!.AsArray()));
        Assert.Equal("the same failure in your saved files, run just now", (string?)verification["knownFailuresSource"]);
        Assert.Contains("no worse than before", (string?)result["summary"], StringComparison.Ordinal);
        Assert.Contains("Shout_is_loud", (string?)result["summary"], StringComparison.Ordinal);
        var edits = SingleVersionedEdit(Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit")), document);
        Assert.Contains("using System.Globalization;\n", TextEdits.Apply(document.Text, edits), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_no_test_reaches_is_never_called_verified_on_zero_tests()
    {
        UseModel(new ScriptedChatClient("no model should be needed"));
        var document = await Server.OpenAsync(UnreachedPath);
        await Server.ReplaceTextAsync(document, document.Text.Replace("{count} {noun}", "{count} {nou}", StringComparison.Ordinal));
        var mark = Server.Mark();

        var result = Result(await Server.RunCommandAsync("oci.fixDiagnostic",
            EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "nou}"), diagnosticCode: "CS0103")));

        Assert.True((bool)result["applied"]!, result.ToJsonString());
        var summary = (string?)result["summary"];
        Assert.DoesNotContain("Verified", summary, StringComparison.Ordinal);
        Assert.Contains("no test reaches the change", summary, StringComparison.Ordinal);
        Assert.Equal(0, (int)result["verification"]!["impactedTests"]!);
        Assert.Empty(result["verification"]!["reachingTests"]!.AsArray());
        // Applied on its compile, but zero tests verify nothing: only the confirmation may call it verified.
        Assert.False((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal("pending", (string?)result["verification"]!["realBuild"]);
        Assert.Single(Server.ServerRequestsSince(mark, "workspace/applyEdit"));
        // The whole suite confirms it in the background, beside the failures the user already had.
        var confirmed = await Server.WaitSinceAsync(mark, m => (string?)m["method"] == "oci/verificationConfirmed", "the confirmation");
        Assert.True((bool)confirmed["params"]!["confirmed"]!, confirmed.ToJsonString());
        Assert.Contains("no test reaches the change; the whole suite passes", (string?)confirmed["params"]!["summary"], StringComparison.Ordinal);
    }
}
