using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Engine.Tasks;
using OCI.Engine.Tests.Support;

namespace OCI.Engine.Tests;

/// <summary>Prompts built from the real code, and each task's reply → candidate application.</summary>
public sealed class PromptAndTaskTests
{
    [Fact]
    public async Task TheGeneratePromptHoldsTheTargetItsTypeTheFailingTestAndTheReplyFormat()
    {
        await using var host = Fixture.CreateHost();
        var task = await CreateAsync(host, RefineKind.Generate, "Calculator.cs", "NotImplementedException");

        var prompt = task.InitialPrompt(FirstRequestFacts.None);
        Assert.Contains("Implement the method Add of class Calculator", prompt, StringComparison.Ordinal);
        Assert.Contains("public class Calculator", prompt, StringComparison.Ordinal); // the enclosing type
        Assert.Contains("public void AddsTwoNumbers()", prompt, StringComparison.Ordinal); // the test that references Add
        Assert.DoesNotContain("TwiceDoubles", prompt, StringComparison.Ordinal); // a test that does not
        Assert.Contains("exactly one ```csharp code block", prompt, StringComparison.Ordinal);
        Assert.Equal("FullyQualifiedName~Lib.Tests.CalculatorTests.AddsTwoNumbers", task.TestFilter);
    }

    [Fact]
    public async Task EveryTestThatReferencesTheTargetIsImpactedNotOnlyTheFewThePromptShows()
    {
        // Ten tests call Add (one in a nested class, named as runners name it: Outer+Inner); the prompt shows six.
        var tests = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"    [Fact] public void Adds{i}() => Assert.Equal({i + 1}, new Calculator().Add({i}, 1));"));
        var many = "using Xunit;\n\nnamespace Lib.Tests;\n\npublic class ManyTests\n{\n" + tests + "\n\n    public class Nested\n    {\n        [Fact] public void AddsInside() => Assert.Equal(2, new Calculator().Add(1, 1));\n    }\n}\n";
        await using var host = InMemoryWorkspaceHost.Create(
            new Dictionary<string, string> { ["Calculator.cs"] = Fixture.Calculator, ["Formatter.cs"] = Fixture.Formatter },
            new Dictionary<string, string> { ["CalculatorTests.cs"] = Fixture.CalculatorTests, ["ManyTests.cs"] = many });
        var task = await CreateAsync(host, RefineKind.Generate, "Calculator.cs", "NotImplementedException");

        var filter = task.TestFilter!.Split('|');
        Assert.Equal(11, filter.Length); // AddsTwoNumbers, Adds1..Adds9, AddsInside
        Assert.Contains("FullyQualifiedName~Lib.Tests.ManyTests.Adds9", filter);
        Assert.Contains("FullyQualifiedName~Lib.Tests.ManyTests+Nested.AddsInside", filter);
        Assert.Equal(CodeContextBuilder.MaxTests, task.Context.Tests.Count);
    }

    [Fact]
    public async Task SignaturesOfTheUsersOwnSymbolsAreInThePrompt()
    {
        await using var host = Fixture.CreateHost();
        var task = await CreateAsync(host, RefineKind.RunAndRefine, "Formatter.cs", "Describe");

        var prompt = task.InitialPrompt(FirstRequestFacts.None);
        Assert.Contains("public int Calculator.Add(int a, int b);", prompt, StringComparison.Ordinal);
        Assert.Contains("class Calculator", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFixDiagnosticPromptNamesTheDiagnosticAndItsLine()
    {
        const string code = "namespace Lib;\n\npublic static class P\n{\n    public static int Parse(string text)\n    {\n        int value = text;\n        return value;\n    }\n}\n";
        await using var host = Fixture.CreateHost(("P.cs", code));
        var task = (FixDiagnosticTask)await CreateAsync(host, RefineKind.FixDiagnostic, "P.cs", "text;");

        Assert.Equal("CS0029", task.Diagnostic.Id);
        Assert.Equal(7, task.Diagnostic.Line);
        Assert.Contains("Fix the compiler diagnostic CS0029 at line 7: Cannot implicitly convert type 'string' to 'int'", task.InitialPrompt(FirstRequestFacts.None), StringComparison.Ordinal);
        Assert.Contains("method Parse", task.InitialPrompt(FirstRequestFacts.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileLevelDiagnosticIsFixedByAReplyOfUsingsOnly()
    {
        const string code = "namespace Lib;\n\npublic class J\n{\n    private readonly StringBuilder _builder = new();\n}\n";
        await using var host = Fixture.CreateHost(("J.cs", code));
        var task = await CreateAsync(host, RefineKind.FixDiagnostic, "J.cs", "StringBuilder");

        var candidate = task.CandidateFromReply("```csharp\nusing System.Text;\n```");

        Assert.NotNull(candidate);
        Assert.Equal("using System.Text;\n\n" + code, candidate.Changes[0].NewText);
    }

    [Fact]
    public async Task AGenerateReplyOfBareStatementsBecomesTheBody()
    {
        await using var host = Fixture.CreateHost();
        var task = await CreateAsync(host, RefineKind.Generate, "Calculator.cs", "NotImplementedException");

        var candidate = task.CandidateFromReply("```csharp\nreturn a + b;\n```");

        Assert.NotNull(candidate);
        Assert.Contains("    public int Add(int a, int b)\n    {\n        return a + b;\n    }\n", candidate.Changes[0].NewText, StringComparison.Ordinal);
        Assert.Equal(host.LibraryPath("Calculator.cs"), candidate.Changes[0].Path);
        Assert.Equal(1, candidate.ChangeSize);
    }

    [Fact]
    public async Task RunAndRefineOnATypeReplacesTheWholeType()
    {
        await using var host = Fixture.CreateHost();
        var task = await CreateAsync(host, RefineKind.RunAndRefine, "Formatter.cs", "public static class Formatter");

        var candidate = task.CandidateFromReply("```csharp\npublic static class Formatter\n{\n    public static string Describe(Calculator calculator, int a, int b) => $\"{a}+{b}\";\n}\n```");

        Assert.NotNull(candidate);
        Assert.Equal("namespace Lib;\n\npublic static class Formatter\n{\n    public static string Describe(Calculator calculator, int a, int b) => $\"{a}+{b}\";\n}", candidate.Changes[0].NewText.TrimEnd());
    }

    [Fact]
    public async Task ARefineSelectionReplyReplacesOnlyTheSelection()
    {
        await using var host = Fixture.CreateHost();
        var task = await CreateAsync(host, RefineKind.RefineSelection, "Calculator.cs", "x * 2", instruction: "use a shift");

        Assert.Contains("asks: use a shift", task.InitialPrompt(FirstRequestFacts.None), StringComparison.Ordinal);
        Assert.Contains("The selection:\n```csharp\nx * 2\n```", task.InitialPrompt(FirstRequestFacts.None), StringComparison.Ordinal);
        var candidate = task.CandidateFromReply("Use a shift:\n```csharp\nx << 1\n```");
        Assert.NotNull(candidate);
        Assert.Contains("public int Twice(int x) => x << 1;", candidate.Changes[0].NewText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsThatDoNotApplyExplainWhy()
    {
        await using var host = Fixture.CreateHost();
        var document = RoslynCodeFixesTests.Document(host, "Calculator.cs");

        var selection = await RefineTaskFactory.CreateAsync(new RefineRequest(RefineKind.RefineSelection, host.LibraryPath("Calculator.cs"), default, Instruction: null), document, 4000, false, CancellationToken.None);
        var fix = await RefineTaskFactory.CreateAsync(new RefineRequest(RefineKind.FixDiagnostic, host.LibraryPath("Calculator.cs"), new(new(5, 0), new(5, 0)), DiagnosticId: "CS0103"), document, 4000, false, CancellationToken.None);

        Assert.Contains("needs an instruction", selection.Problem, StringComparison.Ordinal);
        Assert.Contains("no longer reports CS0103", fix.Problem, StringComparison.Ordinal);
    }

    private static async Task<EditorRefineTask> CreateAsync(InMemoryWorkspaceHost host, RefineKind kind, string file, string at, string? instruction = null)
    {
        var document = RoslynCodeFixesTests.Document(host, file);
        var text = await document.GetTextAsync();
        var start = text.ToString().IndexOf(at, StringComparison.Ordinal);
        var span = kind == RefineKind.RefineSelection ? new TextSpan(start, at.Length) : new TextSpan(start, 0);
        var creation = await RefineTaskFactory.CreateAsync(new RefineRequest(kind, host.LibraryPath(file), text.Lines.GetLinePositionSpan(span), instruction), document, 4000, false, CancellationToken.None);
        Assert.True(creation.Task is not null, creation.Problem);
        await creation.Task.ContextWithTestsAsync(CancellationToken.None); // as the engine does before it reads them
        return creation.Task;
    }
}
