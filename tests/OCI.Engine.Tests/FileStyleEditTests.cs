using OCI.Engine.Refine;
using OCI.Engine.Tasks;
using OCI.Engine.Tests.Support;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Tests;

/// <summary>
/// Roslyn's fixes and the model's replies are written in the target file's own style (CRLF, tabs) with real Roslyn:
/// the generated member that used to come out as LF and four spaces inside a CRLF, tab-indented file, and a model's
/// reply spliced into one.
/// </summary>
public sealed class FileStyleEditTests
{
    /// <summary>A closed file in CsvHelper's style: CRLF line breaks, tab indentation.</summary>
    private const string Maps = "namespace Lib;\r\n\r\npublic sealed class MapCollection\r\n{\r\n\tprivate readonly List<string> _maps = new();\r\n\r\n\tpublic void Add(string map)\r\n\t{\r\n\t\t_maps.Add(map);\r\n\t}\r\n}\r\n";

    /// <summary>The file with the diagnostic: a mistyped call (CS1061) on the closed file's class.</summary>
    private const string Context = "namespace Lib;\r\n\r\npublic sealed class Context\r\n{\r\n\tpublic void Register(MapCollection maps)\r\n\t{\r\n\t\tmaps.ZqAdd(\"map\");\r\n\t}\r\n}\r\n";

    [Fact]
    public async Task Roslyns_generated_method_in_another_CRLF_tab_file_has_CRLF_and_tabs_and_only_adds_lines()
    {
        await using var host = Fixture.CreateHost(("Maps.cs", Maps), ("Context.cs", Context));
        var document = RoslynCodeFixesTests.Document(host, "Context.cs");

        var fixes = await RoslynCodeFixes.GetFixesAsync(document, RoslynCodeFixesTests.Span(Context, "ZqAdd"), "CS1061", CancellationToken.None);

        var generate = Assert.Single(fixes, f => f.Title.Contains("Generate method", StringComparison.Ordinal));
        var change = Assert.Single(generate.Changes, c => c.Path == host.LibraryPath("Maps.cs"));
        AssertCrlfAndTabs(change.NewText);
        Assert.Contains("\t}\r\n\r\n\tinternal void ZqAdd(string ", change.NewText, StringComparison.Ordinal);
        Assert.Contains("\t{\r\n\t\tthrow new NotImplementedException();\r\n\t}\r\n}\r\n", change.NewText, StringComparison.Ordinal);
        AssertOnlyInsertsLines(Maps, change.NewText);
        // Verified as written: the normalised text still compiles.
        Assert.True((await host.CompileAsync(generate.Changes, CancellationToken.None)).Compiles);
    }

    [Fact]
    public async Task A_models_reply_in_LF_and_four_spaces_spliced_into_a_CRLF_tab_file_comes_out_CRLF_and_tabs()
    {
        const string stubbed = "namespace Lib;\r\n\r\npublic sealed class Ruler\r\n{\r\n\tpublic int Length(string text)\r\n\t{\r\n\t\tthrow new NotImplementedException();\r\n\t}\r\n}\r\n";
        await using var host = Fixture.CreateHost(("Ruler.cs", stubbed));
        var document = RoslynCodeFixesTests.Document(host, "Ruler.cs");
        var text = await document.GetTextAsync();
        var at = text.Lines.GetLinePosition(stubbed.IndexOf("throw", StringComparison.Ordinal));
        var creation = await RefineTaskFactory.CreateAsync(new RefineRequest(RefineKind.Generate, host.LibraryPath("Ruler.cs"), new(at, at)), document, 4000, false, CancellationToken.None);
        Assert.True(creation.Task is not null, creation.Problem);

        var candidate = creation.Task.CandidateFromReply("```csharp\npublic int Length(string text)\n{\n    if (text is null)\n    {\n        return 0;\n    }\n    return text.Length;\n}\n```");

        Assert.NotNull(candidate);
        var newText = Assert.Single(candidate.Changes).NewText;
        Assert.Equal(stubbed.Replace("\t\tthrow new NotImplementedException();\r\n",
            "\t\tif (text is null)\r\n\t\t{\r\n\t\t\treturn 0;\r\n\t\t}\r\n\t\treturn text.Length;\r\n", StringComparison.Ordinal), newText);
        Assert.Equal(5, candidate.ChangeSize);
    }

    private static void AssertCrlfAndTabs(string text)
    {
        var lines = text.Split("\r\n");
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
        Assert.All(lines, line => Assert.False(line.StartsWith(' '), $"a line indented with spaces: '{line}'"));
    }

    /// <summary>Every line of <paramref name="before"/>, its line break included, is still there in order.</summary>
    private static void AssertOnlyInsertsLines(string before, string after)
    {
        var newLines = after.Split('\n');
        var next = 0;
        foreach (var line in before.Split('\n'))
        {
            while (next < newLines.Length && newLines[next] != line) next++;
            Assert.True(next < newLines.Length, $"the line '{line}' was changed:\n{after}");
            next++;
        }
    }
}
