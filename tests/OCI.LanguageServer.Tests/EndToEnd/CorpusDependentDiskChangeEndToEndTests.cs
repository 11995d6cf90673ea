namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>
/// The CsvHelper corpus (a copy) under the real server: a test file of CsvHelper.Tests open, closed files of the
/// CsvHelper library changed on disk. A comment changes nothing in the test file; renaming <c>ArrayHelper.Trim</c> to
/// <c>TrimChars</c> in the library (its definition and its callers there) gives the compiler's error at each of the
/// test's calls (CS1501: with the tests' LangVersion preview another <c>Trim</c> is in scope, which takes no 4
/// arguments), with "Fix with OCI" there, and nothing else; renaming it back clears them.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class CorpusDependentDiskChangeEndToEndTests
{
    private const string TestsPath = "tests/CsvHelper.Tests/ArrayHelperTests.cs";
    private const string HelperPath = "src/CsvHelper/ArrayHelper.cs";
    private const string ParserPath = "src/CsvHelper/CsvParser.cs";

    [Fact]
    public async Task Library_files_changed_on_disk_give_the_open_test_file_of_the_corpus_what_the_build_gives()
    {
        using var workspace = WorkspaceCopy.OfCorpus("csvhelper");
        var helper = File.ReadAllText(workspace.PathOf(HelperPath));
        var parser = File.ReadAllText(workspace.PathOf(ParserPath));
        await using var server = await EndToEndServer.StartAsync(workspace, ServerOnWorkspace.WithoutModel());
        var tests = await server.OpenAsync(TestsPath);
        var before = await server.DiagnosticsAsync(tests);
        Assert.DoesNotContain(before, d => d.StartsWith("error", StringComparison.Ordinal));

        await ChangeAsync(server, (HelperPath, "// Array helpers.\r\n" + helper));
        Assert.Equal(before, await server.DiagnosticsAsync(tests));

        await ChangeAsync(server, (HelperPath, Renamed(helper)), (ParserPath, Renamed(parser)));
        var calls = Calls(tests.Text);
        Assert.True(calls.Count >= 2, "the test file calls ArrayHelper.Trim");
        Assert.Equal([.. before.Concat(calls.Select(c => $"error CS1501 {c.Line}:{c.Character}")).Order(StringComparer.Ordinal)],
            (await server.DiagnosticsAsync(tests)).Order(StringComparer.Ordinal));
        var actions = await server.CodeActionsAsync(tests, calls[0]);
        Assert.Contains(actions.OfType<JsonObject>(), a => ((string?)a["title"])?.StartsWith("Fix with OCI: CS1501", StringComparison.Ordinal) == true);

        await ChangeAsync(server, (HelperPath, helper), (ParserPath, parser));
        Assert.Equal(before, await server.DiagnosticsAsync(tests));
    }

    private static string Renamed(string text) => text
        .Replace("public static void Trim(char[] buffer", "public static void TrimChars(char[] buffer", StringComparison.Ordinal)
        .Replace("ArrayHelper.Trim(", "ArrayHelper.TrimChars(", StringComparison.Ordinal);

    /// <summary>Where each <c>ArrayHelper.Trim(</c> call names Trim (the error's start).</summary>
    private static List<(int Line, int Character)> Calls(string text)
    {
        var calls = new List<(int, int)>();
        for (var index = text.IndexOf("ArrayHelper.Trim(", StringComparison.Ordinal); index >= 0; index = text.IndexOf("ArrayHelper.Trim(", index + 1, StringComparison.Ordinal))
        {
            var start = index + "ArrayHelper.".Length;
            var line = text[..start].Count(c => c == '\n');
            calls.Add((line, start - (text.LastIndexOf('\n', start - 1) + 1)));
        }
        return calls;
    }

    private static async Task ChangeAsync(EndToEndServer server, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files) await File.WriteAllTextAsync(server.Workspace.PathOf(path), text);
        await server.Client.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
        {
            ["changes"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["uri"] = EndToEndServer.UriOf(server.Workspace.PathOf(f.Path)), ["type"] = 2 })]),
        });
    }
}
