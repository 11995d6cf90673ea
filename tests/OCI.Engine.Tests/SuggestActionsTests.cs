using OCI.Engine.Tests.Support;

namespace OCI.Engine.Tests;

/// <summary>codeAction's listing: syntax and cached diagnostics only, no model, no build.</summary>
public sealed class SuggestActionsTests
{
    [Fact]
    public async Task AStubGetsGenerateFirstAndRunAndRefine()
    {
        await using var harness = await EngineHarness.StartAsync(model: null);
        var path = harness.Host.LibraryPath("Calculator.cs");

        var suggestions = await harness.Engine.SuggestActionsAsync(path, EngineHarness.At(harness.RangeOf("Calculator.cs", "NotImplementedException")), [], CancellationToken.None);

        Assert.Equal([RefineKind.Generate, RefineKind.RunAndRefine], suggestions.Select(s => s.Kind));
        Assert.Equal("Generate implementation of Add", suggestions[0].Title);
        Assert.True(suggestions[0].IsPreferred);
    }

    [Fact]
    public async Task AnImplementedMemberGetsOnlyRunAndRefineAndASelectionGetsRefineSelection()
    {
        await using var harness = await EngineHarness.StartAsync(model: null);
        var path = harness.Host.LibraryPath("Calculator.cs");

        var atTwice = await harness.Engine.SuggestActionsAsync(path, EngineHarness.At(harness.RangeOf("Calculator.cs", "x * 2")), [], CancellationToken.None);
        var selection = await harness.Engine.SuggestActionsAsync(path, harness.RangeOf("Calculator.cs", "x * 2"), [], CancellationToken.None);
        var onType = await harness.Engine.SuggestActionsAsync(path, EngineHarness.At(harness.RangeOf("Calculator.cs", "class Calculator")), [], CancellationToken.None);

        Assert.Equal([RefineKind.RunAndRefine], atTwice.Select(s => s.Kind));
        Assert.Equal([RefineKind.RunAndRefine, RefineKind.RefineSelection], selection.Select(s => s.Kind));
        Assert.Equal("Run & refine Calculator until tests pass", Assert.Single(onType).Title);
    }

    [Fact]
    public async Task AskingOnEveryCursorMoveDoesNotStarveTheBackgroundDiagnostics()
    {
        const string code = "namespace Lib;\n\npublic class J\n{\n    public string Make() => new StringBuilder().ToString();\n}\n";
        await using var harness = await EngineHarness.StartAsync(model: null, Fixture.CreateHost(("J.cs", code)));
        var path = harness.Host.LibraryPath("J.cs");
        var range = EngineHarness.At(harness.RangeOf("J.cs", "StringBuilder"));

        // An editor asks every 20 ms, faster than the diagnostics' debounce: each ask must not restart it.
        var deadline = DateTime.UtcNow + OCI.Testing.TestWaits.Seconds(30);
        IReadOnlyList<ActionSuggestion> suggestions;
        do
        {
            suggestions = await harness.Engine.SuggestActionsAsync(path, range, [], CancellationToken.None);
            await Task.Delay(20);
        }
        while (!suggestions.Any(s => s.DiagnosticId == "CS0246") && DateTime.UtcNow < deadline);

        Assert.Contains(suggestions, s => s.Kind == RefineKind.FixDiagnostic && s.DiagnosticId == "CS0246");
    }

    [Fact]
    public async Task DiagnosticsFromTheEditorAndFromRoslynGetFixWithOci()
    {
        const string code = "namespace Lib;\n\npublic class J\n{\n    public string Make() => new StringBuilder().ToString();\n}\n";
        await using var harness = await EngineHarness.StartAsync(model: null, Fixture.CreateHost(("J.cs", code)));
        var path = harness.Host.LibraryPath("J.cs");
        var range = EngineHarness.At(harness.RangeOf("J.cs", "StringBuilder"));
        var editorDiagnostic = new EditorDiagnostic("CS9999", harness.RangeOf("J.cs", "Make"), "an analyzer's complaint");

        await harness.Engine.RefreshDiagnosticsAsync(path, CancellationToken.None);
        var suggestions = await harness.Engine.SuggestActionsAsync(path, range, [editorDiagnostic], CancellationToken.None);

        var fixes = suggestions.Where(s => s.Kind == RefineKind.FixDiagnostic).ToList();
        Assert.Equal(["CS9999", "CS0246"], fixes.Select(f => f.DiagnosticId));
        Assert.StartsWith("Fix with OCI: CS0246", fixes[1].Title, StringComparison.Ordinal);
        Assert.True(fixes[1].IsPreferred); // Roslyn has a fix for it
    }

    [Fact]
    public async Task EditorBuffersAreWhatTheSuggestionsSee()
    {
        await using var harness = await EngineHarness.StartAsync(model: null);
        var path = harness.Host.LibraryPath("Calculator.cs");
        harness.Engine.SetDocument(path, Fixture.Calculator.Replace("public int Twice(int x) => x * 2;", "public int Twice(int x) => throw new NotImplementedException();", StringComparison.Ordinal));

        var suggestions = await harness.Engine.SuggestActionsAsync(path, EngineHarness.At(harness.RangeOf("Calculator.cs", "Twice")), [], CancellationToken.None);

        Assert.Equal("Generate implementation of Twice", suggestions[0].Title);
    }
}
