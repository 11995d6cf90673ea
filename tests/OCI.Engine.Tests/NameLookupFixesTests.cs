using OCI.Engine.Tests.Support;
using OCI.Workspace.CodeFixes;
using static OCI.Engine.Tests.RoslynCodeFixesTests;

namespace OCI.Engine.Tests;

/// <summary>
/// The fixes read from the compilation before Roslyn's providers answer (<see cref="NameLookupFixes"/>): each must be
/// the very edit Roslyn's own provider makes, and there must be none where Roslyn's providers would have to choose.
/// </summary>
public sealed class NameLookupFixesTests
{
    private const string TextUser = "using System.Text;\n\nnamespace Lib;\n\npublic static class Texts\n{\n    public static StringBuilder New() => new();\n}\n";

    [Theory]
    [InlineData("\n", "    ")]
    [InlineData("\r\n", "\t")]
    public async Task AUsingTheProjectHasElsewhereIsAddedAsRoslynAddsIt(string lineBreak, string indent)
    {
        var code = "using System;\nusing System.Collections.Generic;\n\nnamespace Lib;\n\npublic static class Joiner\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return builder.ToString();\n    }\n}\n"
            .Replace("    ", indent, StringComparison.Ordinal).Replace("\n", lineBreak, StringComparison.Ordinal);
        await using var host = Fixture.CreateHost(("Joiner.cs", code), ("Texts.cs", TextUser));
        var document = Document(host, "Joiner.cs");

        var quick = await NameLookupFixes.GetFixesAsync(document, Span(code, "StringBuilder"), "CS0246", CancellationToken.None);

        var fix = Assert.Single(quick);
        Assert.Equal("using System.Text;", fix.Title);
        Assert.Contains($"using System.Collections.Generic;{lineBreak}using System.Text;{lineBreak}{lineBreak}namespace Lib;", fix.Changes[0].NewText, StringComparison.Ordinal);
        await AssertRoslynMakesTheSameEditAsync(host, document, code, "StringBuilder", "CS0246", fix);
    }

    [Fact]
    public async Task AnExtensionMethodsNamespaceIsAddedForCS1061()
    {
        const string extensions = "namespace Lib.Loud;\n\npublic static class Shouting\n{\n    public static string Shout(this string text) => text.ToUpperInvariant() + \"!\";\n}\n";
        const string user = "using Lib.Loud;\n\nnamespace Lib;\n\npublic static class Greeter\n{\n    public static string Hello() => \"hello\".Shout();\n}\n";
        const string code = "using System;\n\nnamespace Lib;\n\npublic static class Caller\n{\n    public static string Call(string name) => name.Shout();\n}\n";
        await using var host = Fixture.CreateHost(("Shouting.cs", extensions), ("Greeter.cs", user), ("Caller.cs", code));
        var document = Document(host, "Caller.cs");

        var fix = Assert.Single(await NameLookupFixes.GetFixesAsync(document, Span(code, "Shout"), "CS1061", CancellationToken.None));

        Assert.Equal("using Lib.Loud;", fix.Title);
        Assert.StartsWith("using System;\nusing Lib.Loud;\n", fix.Changes[0].NewText, StringComparison.Ordinal);
        await AssertRoslynMakesTheSameEditAsync(host, document, code, "Shout", "CS1061", fix);
    }

    [Fact]
    public async Task NoUsingIsGuessedWhenTwoOfTheProjectsNamespacesHoldTheName()
    {
        const string one = "namespace Lib.One;\n\npublic sealed class Widget { }\n";
        const string two = "namespace Lib.Two;\n\npublic sealed class Widget { }\n";
        const string users = "using Lib.One;\nusing Lib.Two;\n\nnamespace Lib;\n\npublic static class Users { }\n";
        const string code = "using System;\n\nnamespace Lib;\n\npublic static class Maker\n{\n    public static object Make() => new Widget();\n}\n";
        await using var host = Fixture.CreateHost(("One.cs", one), ("Two.cs", two), ("Users.cs", users), ("Maker.cs", code));

        var quick = await NameLookupFixes.GetFixesAsync(Document(host, "Maker.cs"), Span(code, "Widget"), "CS0246", CancellationToken.None);

        Assert.Empty(quick);
    }

    [Fact]
    public async Task NoUsingIsGuessedFromNamespacesNoOtherFileImports()
    {
        const string code = "using System;\n\nnamespace Lib;\n\npublic static class Joiner\n{\n    public static object Make() => new StringBuilder();\n}\n";
        await using var host = Fixture.CreateHost(("Joiner.cs", code));

        Assert.Empty(await NameLookupFixes.GetFixesAsync(Document(host, "Joiner.cs"), Span(code, "StringBuilder"), "CS0246", CancellationToken.None));
    }

    [Theory]
    [InlineData("private bool FillBuffer() => true;\n    public bool Read() => FilBuffer();", "FilBuffer", "CS0103", "FillBuffer")]
    [InlineData("public string Read(System.Text.StringBuilder b) => b.Apend('x').ToString();", "Apend", "CS1061", "Append")]
    [InlineData("public int Read(int x) => Math.Abss(x);", "Abss", "CS0117", "Abs")]
    [InlineData("public int Read(int count) => cuont + 1;", "cuont", "CS0103", "count")]
    [InlineData("public int Read(int[] xs) => xs.Cuont();", "Cuont", "CS1061", "Count")]
    public async Task TheOneClosestNameIsTheSpellingRoslynOffersFirst(string members, string misspelt, string id, string meant)
    {
        var code = $"namespace Lib;\n\npublic sealed class Reader\n{{\n    {members}\n}}\n";
        await using var host = Fixture.CreateHost(("Reader.cs", code));
        var document = Document(host, "Reader.cs");

        var fix = Assert.Single(await NameLookupFixes.GetFixesAsync(document, Span(code, misspelt), id, CancellationToken.None));

        Assert.Equal($"Change '{misspelt}' to '{meant}'.", fix.Title);
        var at = code.IndexOf(misspelt, StringComparison.Ordinal);
        Assert.Equal(code.Remove(at, misspelt.Length).Insert(at, meant), fix.Changes[0].NewText);
        await AssertRoslynMakesTheSameEditAsync(host, document, code, misspelt, id, fix);
    }

    [Theory]
    [InlineData("using Lib.Ext;\n\n", null)] // the file's own using
    [InlineData("", "global using static Lib.Ext.Words;\n")] // another file's global using static of the type
    [InlineData("", null)] // not in scope: Roslyn offers no such spelling, nor does the quick fix
    public async Task AnExtensionMethodIsSpeltOnlyWhereItIsInScopeAsRoslynSpellsIt(string usings, string? globalUsing)
    {
        // The extension methods in scope are looked at by their names first (only close ones are reduced to the receiver).
        const string words = "namespace Lib.Ext;\n\npublic static class Words\n{\n    public static int Syllables(this string word) => word.Length / 2;\n}\n";
        var code = usings + "namespace Lib;\n\npublic sealed class Reader\n{\n    public int Read(string w) => w.Sylables();\n}\n";
        (string, string)[] files = globalUsing is null ? [("Words.cs", words), ("Reader.cs", code)] : [("Words.cs", words), ("Reader.cs", code), ("Usings.cs", globalUsing)];
        await using var host = Fixture.CreateHost(files);
        var document = Document(host, "Reader.cs");

        var fixes = await NameLookupFixes.GetFixesAsync(document, Span(code, "Sylables"), "CS1061", CancellationToken.None);

        if (usings.Length == 0 && globalUsing is null)
        {
            Assert.DoesNotContain(fixes, f => f.Title.StartsWith("Change", StringComparison.Ordinal));
            return;
        }
        var fix = Assert.Single(fixes);
        Assert.Equal("Change 'Sylables' to 'Syllables'.", fix.Title);
        await AssertRoslynMakesTheSameEditAsync(host, document, code, "Sylables", "CS1061", fix);
    }

    [Fact]
    public async Task NoSpellingIsGuessedWhenTwoNamesAreEquallyClose()
    {
        const string code = "namespace Lib;\n\npublic sealed class Pair\n{\n    public int Read(int valueA, int valueB) => valueC;\n}\n";
        await using var host = Fixture.CreateHost(("Pair.cs", code));

        Assert.Empty(await NameLookupFixes.GetFixesAsync(Document(host, "Pair.cs"), Span(code, "valueC"), "CS0103", CancellationToken.None));
    }

    [Fact]
    public async Task ANameInAUsingDirectiveGetsItsSpellingNeverAnotherUsing()
    {
        const string code = "using Sytem;\n\nnamespace Lib;\n\npublic static class Joiner\n{\n}\n";
        await using var host = Fixture.CreateHost(("Joiner.cs", code), ("Sytem.cs", "using Lib.Sytem;\n\nnamespace Lib.Other;\n\npublic static class User { }\n"), ("Holder.cs", "namespace Lib.Sytem;\n\npublic sealed class Sytem { }\n"));

        var fixes = await NameLookupFixes.GetFixesAsync(Document(host, "Joiner.cs"), Span(code, "Sytem"), "CS0246", CancellationToken.None);

        var fix = Assert.Single(fixes);
        Assert.Equal("Change 'Sytem' to 'System'.", fix.Title);
    }

    [Fact]
    public async Task TwoEditsInAShortNameAreAnotherWordNotATypo()
    {
        const string code = "namespace Lib;\n\npublic sealed class Shelf\n{\n    public void Put(System.Collections.Generic.List<int> items) => items.ZqAdd(1);\n}\n";
        await using var host = Fixture.CreateHost(("Shelf.cs", code));

        Assert.Empty(await NameLookupFixes.GetFixesAsync(Document(host, "Shelf.cs"), Span(code, "ZqAdd"), "CS1061", CancellationToken.None));
    }

    [Fact]
    public async Task OtherDiagnosticsAreLeftToRoslyn()
    {
        await using var host = Fixture.CreateHost();
        Assert.False(NameLookupFixes.Answers("CS0535"));
        Assert.Empty(await NameLookupFixes.GetFixesAsync(Document(host, "Calculator.cs"), new(0, 5), "CS0535", CancellationToken.None));
    }

    [Fact]
    public void EditDistanceCountsASwapOfNeighboursAsOneEdit()
    {
        Assert.Equal(1, NameLookupFixes.EditDistance("Vaule", "Value", 2));
        Assert.Equal(1, NameLookupFixes.EditDistance("ReadSpace", "ReadSpaces", 2));
        Assert.Equal(1, NameLookupFixes.EditDistance("ConsumeCahr", "ConsumeChar", 2));
        Assert.True(NameLookupFixes.EditDistance("Read", "Write", 1) > 1);
    }

    /// <summary>
    /// Roslyn's providers, run in full, offer the same fix with the same text, and list before it only declarations they
    /// would generate for the unbound name ("Generate field 'cuont'" compiles too, and is not what a typo means).
    /// </summary>
    private static async Task AssertRoslynMakesTheSameEditAsync(InMemoryWorkspaceHost host, Microsoft.CodeAnalysis.Document document, string code, string at, string id, RoslynFix quick)
    {
        var roslyn = await RoslynCodeFixes.GetFixesAsync(document, Span(code, at), id, CancellationToken.None);
        var titles = string.Join(" | ", roslyn.Select(f => f.Title));
        var same = roslyn.FirstOrDefault(f => f.Title == quick.Title);
        Assert.True(same is not null, $"Roslyn offers: {titles}");
        Assert.Equal(same.Changes.Single().NewText, quick.Changes.Single().NewText);
        Assert.True(roslyn.TakeWhile(f => f != same).All(f => f.Title.StartsWith("Generate ", StringComparison.Ordinal)), $"Roslyn offers: {titles}");
        var compiled = await host.CompileAsync(quick.Changes, CancellationToken.None);
        Assert.Equal(OCI.Workspace.Verification.VerificationStatus.Passed, compiled.Status);
    }
}
