using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.CodeFixes;
using OCI.Workspace.Tests.Support;

namespace OCI.Workspace.Tests;

/// <summary>
/// The case reported on CsvHelper (CRLF, tab-indented): <c>Maps.Add(map)</c> in CsvContext.cs mistyped as
/// <c>Maps.ZqAdd(map)</c> (CS1061). Roslyn's "Generate method 'ZqAdd'" for the closed ClassMapCollection.cs used to
/// replace the file's last line break with LF and four-space lines; it must add CRLF, tab-indented lines and nothing else.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(CorpusCollection.Name)]
public sealed class CorpusFileStyleTests(BuiltCorpus corpus)
{
    [Fact]
    public async Task Generate_method_in_the_closed_CRLF_tab_file_adds_only_CRLF_tab_indented_lines()
    {
        var shadow = Path.Combine(Path.GetTempPath(), "oci-ws-tests", "corpus-shadow-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = await MSBuildWorkspaceHost.OpenAsync(corpus.Root, new VerificationSettings { ShadowRoot = shadow },
            NullLoggerFactory.Instance, new SynchronousProgress(_ => { }), CancellationToken.None);
        var contextPath = corpus.PathOf("src/CsvHelper/CsvContext.cs");
        var mapsPath = corpus.PathOf("src/CsvHelper/Configuration/ClassMapCollection.cs");
        var id = host.CurrentSolution.GetDocumentIdsWithFilePath(contextPath).First();
        var original = (await host.CurrentSolution.GetDocument(id)!.GetTextAsync()).ToString();
        var at = original.IndexOf("Maps.Add(map);", StringComparison.Ordinal);
        var mistyped = original.Remove(at + "Maps.".Length, "Add".Length).Insert(at + "Maps.".Length, "ZqAdd");
        var document = host.CurrentSolution.WithDocumentText(id, SourceText.From(mistyped)).GetDocument(id)!;

        var fixes = await RoslynCodeFixes.GetFixesAsync(document, new TextSpan(at + "Maps.".Length, "ZqAdd".Length), "CS1061", CancellationToken.None);

        var generate = Assert.Single(fixes, f => f.Title.Contains("Generate method", StringComparison.Ordinal));
        var change = Assert.Single(generate.Changes, c => string.Equals(c.Path, mapsPath, StringComparison.Ordinal));
        var disk = await File.ReadAllTextAsync(mapsPath);
        Assert.Contains("\r\n\t", disk, StringComparison.Ordinal);
        var lines = change.NewText.Split("\r\n");
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
        Assert.All(lines, line => Assert.False(line.StartsWith(' '), $"a line indented with spaces: '{line}'"));
        Assert.Contains(lines, line => line.StartsWith("\t", StringComparison.Ordinal) && line.Contains("void ZqAdd(ClassMap map)", StringComparison.Ordinal));
        Assert.Contains("\t\tthrow new NotImplementedException();", lines);
        StyleNormalizerTests.AssertOnlyInsertsLines(disk, change.NewText);
        try { Directory.Delete(shadow, recursive: true); } catch (IOException) { }
    }
}
