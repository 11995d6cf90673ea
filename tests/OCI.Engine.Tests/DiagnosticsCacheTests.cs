using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Suggestions;

namespace OCI.Engine.Tests;

/// <summary>
/// The diagnostics codeAction reads are those of the document's text *and* of the projects it sees: a library changed
/// (on disk, in another buffer) makes the entry of an open file of a referencing project stale, though its text did not
/// change; a change in an unrelated project does not.
/// </summary>
public sealed class DiagnosticsCacheTests
{
    [Fact]
    public async Task An_entry_holds_until_the_document_or_a_project_it_references_changes()
    {
        using var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var library = ProjectId.CreateNewId();
        var tests = ProjectId.CreateNewId();
        var other = ProjectId.CreateNewId();
        var libraryFile = DocumentId.CreateNewId(library);
        var testFile = DocumentId.CreateNewId(tests);
        var otherFile = DocumentId.CreateNewId(other);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(library, VersionStamp.Create(), "Lib", "Lib", LanguageNames.CSharp, metadataReferences: references,
                compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)))
            .AddDocument(libraryFile, "Polygon.cs", "namespace Lib; public class Polygon { public void Translate() { } }", filePath: "/w/Lib/Polygon.cs")
            .AddProject(ProjectInfo.Create(tests, VersionStamp.Create(), "Tests", "Tests", LanguageNames.CSharp, metadataReferences: references,
                projectReferences: [new ProjectReference(library)],
                compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)))
            .AddDocument(testFile, "PolygonTests.cs", "using Lib; class PolygonTests { void T() => new Polygon().Translate(); }", filePath: "/w/Tests/PolygonTests.cs")
            .AddProject(ProjectInfo.Create(other, VersionStamp.Create(), "Other", "Other", LanguageNames.CSharp, metadataReferences: references))
            .AddDocument(otherFile, "Other.cs", "class Other { }", filePath: "/w/Other/Other.cs");
        var cache = new DiagnosticsCache(TimeSpan.Zero);

        var before = solution.GetDocument(testFile)!;
        Assert.Empty(Errors(await cache.GetOrComputeAsync(before, CancellationToken.None)));
        Assert.NotNull(cache.TryGet(before));

        var unrelated = solution.WithDocumentText(otherFile, SourceText.From("class Other { int X; }"));
        Assert.NotNull(cache.TryGet(unrelated.GetDocument(testFile)!));

        var renamed = solution.WithDocumentText(libraryFile, SourceText.From("namespace Lib; public class Polygon { public void TranslateBy() { } }"));
        var after = renamed.GetDocument(testFile)!;
        Assert.Null(cache.TryGet(after));
        Assert.Equal(["CS1061"], Errors(await cache.GetOrComputeAsync(after, CancellationToken.None)));
        Assert.Null(cache.TryGet(before)); // the entry is the newer state's now
    }

    private static List<string> Errors(System.Collections.Immutable.ImmutableArray<Diagnostic>? diagnostics) =>
        [.. (diagnostics ?? []).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id)];
}
