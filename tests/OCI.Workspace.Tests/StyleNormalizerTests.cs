using OCI.Workspace.Formatting;

namespace OCI.Workspace.Tests;

/// <summary>
/// A file's own style (line breaks, indentation, final newline) detected from its text, and new text written in it with
/// only the changed lines touched: the normalisation every edit the server writes goes through.
/// </summary>
public sealed class StyleNormalizerTests
{
    /// <summary>CsvHelper's ClassMapCollection.cs in small: CRLF, tab-indented, a final CRLF.</summary>
    private const string CrlfTabs = "namespace CsvHelper;\r\n\r\npublic class ClassMapCollection\r\n{\r\n\tpublic void Add(ClassMap map)\r\n\t{\r\n\t\tdata.Add(map);\r\n\t}\r\n}\r\n";

    [Fact]
    public void A_CRLF_tab_indented_file_is_detected_as_such()
    {
        var style = DocumentStyle.Detect(CrlfTabs);

        Assert.Equal("\r\n", style.NewLine);
        Assert.True(style.UseTabs);
        Assert.True(style.FinalNewline);
        Assert.Equal("\t", style.IndentUnit);
    }

    [Theory]
    [InlineData("class C\n{\n  void M()\n  {\n    x();\n  }\n}\n", 2)]
    [InlineData("class C\n{\n    void M()\n    {\n        x();\n    }\n}", 4)]
    public void A_space_indented_file_has_its_own_width_and_LF(string text, int width)
    {
        var style = DocumentStyle.Detect(text);

        Assert.Equal("\n", style.NewLine);
        Assert.False(style.UseTabs);
        Assert.Equal(width, style.IndentSize);
        Assert.Equal(text.EndsWith('\n'), style.FinalNewline);
    }

    [Fact]
    public void Roslyns_generated_method_in_LF_and_four_spaces_becomes_CRLF_and_tabs_and_only_adds_lines()
    {
        // What Roslyn's "Generate method 'ZqAdd'" made of the file: its last line break replaced by LF and spaces.
        var generated = CrlfTabs[..^3] + "\n\n    internal void ZqAdd(ClassMap map)\n    {\n        throw new NotImplementedException();\n    }\n}\r\n";

        var normalized = StyleNormalizer.Normalize(CrlfTabs, generated, DocumentStyle.Detect(CrlfTabs));

        Assert.Equal(CrlfTabs[..^3] + "\r\n\r\n\tinternal void ZqAdd(ClassMap map)\r\n\t{\r\n\t\tthrow new NotImplementedException();\r\n\t}\r\n}\r\n", normalized);
        AssertOnlyInsertsLines(CrlfTabs, normalized);
    }

    [Fact]
    public void A_whole_file_reply_in_LF_and_spaces_changes_only_the_line_it_changes()
    {
        var reply = CrlfTabs.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\t", "    ", StringComparison.Ordinal)
            .Replace("data.Add(map);", "data.Add(map ?? throw new ArgumentNullException(nameof(map)));", StringComparison.Ordinal);

        var normalized = StyleNormalizer.Normalize(CrlfTabs, reply, DocumentStyle.Detect(CrlfTabs));

        Assert.Equal(CrlfTabs.Replace("data.Add(map);", "data.Add(map ?? throw new ArgumentNullException(nameof(map)));", StringComparison.Ordinal), normalized);
    }

    [Fact]
    public void Lines_the_change_keeps_stay_as_they_were_even_when_they_break_the_files_style()
    {
        // One line of the user's own file is indented with spaces and ends in LF: not the change's business.
        var original = CrlfTabs.Replace("\t\tdata.Add(map);\r\n", "        data.Add(map);\n", StringComparison.Ordinal);
        var changed = original.Replace("\t}\r\n}", "\t}\n\n    public int Count => data.Count;\n}", StringComparison.Ordinal);

        var normalized = StyleNormalizer.Normalize(original, changed, DocumentStyle.Detect(original));

        Assert.Contains("        data.Add(map);\n", normalized, StringComparison.Ordinal);
        Assert.EndsWith("\t}\r\n\r\n\tpublic int Count => data.Count;\r\n}\r\n", normalized, StringComparison.Ordinal);
        AssertOnlyInsertsLines(original, normalized);
    }

    [Fact]
    public void A_spliced_member_at_tab_depth_with_the_models_four_space_levels_gets_a_tab_per_level()
    {
        // CodeSplicer puts the target's indentation (a tab) before the model's own relative indentation (spaces).
        var spliced = CrlfTabs.Replace("\tpublic void Add(ClassMap map)\r\n\t{\r\n\t\tdata.Add(map);\r\n\t}\r\n",
            "\tpublic void Add(ClassMap map)\n\t{\n\t    if (map is null)\n\t    {\n\t        return;\n\t    }\n\t    data.Add(map);\n\t}\n", StringComparison.Ordinal);

        var normalized = StyleNormalizer.Normalize(CrlfTabs, spliced, DocumentStyle.Detect(CrlfTabs));

        Assert.Equal(CrlfTabs.Replace("\t\tdata.Add(map);\r\n", "\t\tif (map is null)\r\n\t\t{\r\n\t\t\treturn;\r\n\t\t}\r\n\t\tdata.Add(map);\r\n", StringComparison.Ordinal), normalized);
    }

    [Fact]
    public void Tabs_from_the_model_become_the_files_spaces()
    {
        const string original = "class C\n{\n  void M()\n  {\n  }\n}\n";
        var changed = original.Replace("  {\n  }", "  {\n\tif (true)\n\t{\n\t\tx();\n\t}\n  }", StringComparison.Ordinal);

        var normalized = StyleNormalizer.Normalize(original, changed, DocumentStyle.Detect(original));

        Assert.Equal("class C\n{\n  void M()\n  {\n  if (true)\n  {\n    x();\n  }\n  }\n}\n", normalized);
    }

    [Fact]
    public void The_indentation_inside_a_multi_line_string_literal_is_its_value_and_stays()
    {
        var changed = CrlfTabs.Replace("\t\tdata.Add(map);\r\n", "\t\tdata.Add(map);\n        var text = @\"first\n    second\";\n", StringComparison.Ordinal);

        var normalized = StyleNormalizer.Normalize(CrlfTabs, changed, DocumentStyle.Detect(CrlfTabs));

        Assert.Contains("\t\tvar text = @\"first\r\n    second\";\r\n", normalized, StringComparison.Ordinal);
    }

    [Fact]
    public void The_files_final_newline_is_kept_and_a_new_file_takes_the_style()
    {
        var withoutFinal = CrlfTabs.TrimEnd('\r', '\n');
        var replyEndingInNewline = withoutFinal.Replace("data.Add(map);", "data.Add(map!);", StringComparison.Ordinal) + "\n";

        Assert.Equal(withoutFinal.Replace("data.Add(map);", "data.Add(map!);", StringComparison.Ordinal),
            StyleNormalizer.Normalize(withoutFinal, replyEndingInNewline, DocumentStyle.Detect(withoutFinal)));
        Assert.Equal("class D\r\n{\r\n\tint x;\r\n}\r\n", StyleNormalizer.Normalize(null, "class D\n{\n    int x;\n}", DocumentStyle.Detect(CrlfTabs)));
    }

    [Fact]
    public void A_text_already_in_the_files_style_is_returned_unchanged()
    {
        var changed = CrlfTabs.Replace("\t}\r\n}", "\t}\r\n\r\n\tpublic int Count => 0;\r\n}", StringComparison.Ordinal);

        Assert.Equal(changed, StyleNormalizer.Normalize(CrlfTabs, changed, DocumentStyle.Detect(CrlfTabs)));
    }

    /// <summary>Every line of <paramref name="before"/>, its line break included, is still there in order: the change only inserted lines.</summary>
    internal static void AssertOnlyInsertsLines(string before, string after)
    {
        var oldLines = before.Split('\n');
        var newLines = after.Split('\n');
        var next = 0;
        foreach (var line in oldLines)
        {
            while (next < newLines.Length && newLines[next] != line) next++;
            Assert.True(next < newLines.Length, $"the line {line.Replace("\r", "\\r", StringComparison.Ordinal)} was changed:\n{after}");
            next++;
        }
    }
}

/// <summary>.editorconfig, read through Roslyn's analyzer config options of a real workspace, for what a file's text does not show.</summary>
public sealed class DocumentStyleEditorConfigTests
{
    [Fact]
    public async Task EditorConfig_decides_what_the_text_does_not_show_and_the_text_decides_the_rest()
    {
        using var workspace = new Microsoft.CodeAnalysis.AdhocWorkspace();
        var root = Path.Combine(Path.GetTempPath(), "oci-style-" + Guid.NewGuid().ToString("N")[..8]);
        var projectId = Microsoft.CodeAnalysis.ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(Microsoft.CodeAnalysis.ProjectInfo.Create(projectId, Microsoft.CodeAnalysis.VersionStamp.Create(), "P", "P",
                Microsoft.CodeAnalysis.LanguageNames.CSharp, filePath: Path.Combine(root, "P.csproj")))
            .AddAnalyzerConfigDocument(Microsoft.CodeAnalysis.DocumentId.CreateNewId(projectId), ".editorconfig",
                Microsoft.CodeAnalysis.Text.SourceText.From("root = true\n[*.cs]\nend_of_line = crlf\nindent_style = tab\ntab_width = 8\ninsert_final_newline = false\n"),
                filePath: Path.Combine(root, ".editorconfig"));
        var oneLineId = Microsoft.CodeAnalysis.DocumentId.CreateNewId(projectId);
        var spacedId = Microsoft.CodeAnalysis.DocumentId.CreateNewId(projectId);
        solution = solution
            .AddDocument(oneLineId, "OneLine.cs", Microsoft.CodeAnalysis.Text.SourceText.From(""), filePath: Path.Combine(root, "OneLine.cs"))
            .AddDocument(spacedId, "Spaced.cs", Microsoft.CodeAnalysis.Text.SourceText.From("class C\n{\n    int x;\n}\n"), filePath: Path.Combine(root, "Spaced.cs"));

        var empty = await DocumentStyle.OfAsync(solution.GetDocument(oneLineId)!, CancellationToken.None);
        var spaced = await DocumentStyle.OfAsync(solution.GetDocument(spacedId)!, CancellationToken.None);

        Assert.Equal(new DocumentStyle("\r\n", UseTabs: true, IndentSize: 8, TabSize: 8, FinalNewline: false), empty);
        Assert.Equal("\n", spaced.NewLine);
        Assert.False(spaced.UseTabs);
        Assert.True(spaced.FinalNewline);
    }
}
