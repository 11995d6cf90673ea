using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Tests.Support;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Tests;

/// <summary>Roslyn's own code fixes (Features assemblies), computed and applied on real code.</summary>
public sealed class RoslynCodeFixesTests
{
    [Fact]
    public void DiscoversTheShippedCSharpProviders()
    {
        Assert.True(CodeFixProviderCatalog.All.Length > 50, $"only {CodeFixProviderCatalog.All.Length} providers");
        Assert.True(CodeFixProviderCatalog.CanFix("CS0246"));
        Assert.True(CodeFixProviderCatalog.CanFix("CS0535"));
        Assert.False(CodeFixProviderCatalog.CanFix("XX9999"));
    }

    [Fact]
    public async Task AddsTheMissingUsingForCS0246()
    {
        const string code = "namespace Lib;\n\npublic static class Joiner\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return builder.ToString();\n    }\n}\n";
        await using var host = Fixture.CreateHost(("Joiner.cs", code));
        var document = Document(host, "Joiner.cs");

        var fixes = await RoslynCodeFixes.GetFixesAsync(document, Span(code, "StringBuilder"), "CS0246", CancellationToken.None);

        var addUsing = Assert.Single(fixes, f => f.Title.Contains("System.Text", StringComparison.Ordinal) && !f.Title.Contains("System.Text.", StringComparison.Ordinal));
        var change = Assert.Single(addUsing.Changes);
        Assert.Equal(host.LibraryPath("Joiner.cs"), change.Path);
        Assert.StartsWith("using System.Text;", change.NewText, StringComparison.Ordinal);
        Assert.Contains("var builder = new StringBuilder();", change.NewText, StringComparison.Ordinal);
        Assert.True(addUsing.ChangeSize is >= 1 and <= 2, $"change size {addUsing.ChangeSize}:\n{change.NewText}");
    }

    [Fact]
    public async Task ImplementsAMissingInterfaceMemberForCS0535()
    {
        const string code = "namespace Lib;\n\npublic sealed class Shape : IComparable<Shape>\n{\n    public int Size { get; init; }\n}\n";
        await using var host = Fixture.CreateHost(("Shape.cs", code));
        var document = Document(host, "Shape.cs");

        var fixes = await RoslynCodeFixes.GetFixesAsync(document, Span(code, "IComparable<Shape>"), "CS0535", CancellationToken.None);

        Assert.NotEmpty(fixes);
        var implement = fixes.First(f => f.Title.Contains("Implement", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("public int CompareTo(Shape? other)", implement.Changes[0].NewText, StringComparison.Ordinal);
        // The fixed solution really compiles.
        var result = await host.CompileAsync(implement.Changes, CancellationToken.None);
        Assert.Equal(OCI.Workspace.Verification.VerificationStatus.Passed, result.Status);
    }

    [Fact]
    public async Task AMisspeltCallIsRenamedBeforeAStubIsGeneratedForCS0103()
    {
        const string code = "namespace Lib;\n\npublic sealed class Buffer\n{\n    private bool FillBuffer() => true;\n\n    public bool Read()\n    {\n        return FilBuffer();\n    }\n}\n";
        await using var host = Fixture.CreateHost(("Buffer.cs", code));
        var document = Document(host, "Buffer.cs");

        var fixes = await RoslynCodeFixes.GetFixesAsync(document, Span(code, "FilBuffer"), "CS0103", CancellationToken.None);

        // Both kinds are offered; the rename comes first although Roslyn lists "Generate method" before it.
        Assert.Contains(fixes, f => f.AddsStub && f.Title.Contains("FilBuffer", StringComparison.Ordinal));
        var first = fixes[0];
        Assert.False(first.AddsStub, $"first fix: {first.Title}");
        Assert.Contains("return FillBuffer();", first.Changes[0].NewText, StringComparison.Ordinal);
        Assert.True(fixes.SkipWhile(f => !f.AddsStub).All(f => f.AddsStub), string.Join(", ", fixes.Select(f => f.Title)));
    }

    [Fact]
    public async Task NoFixesWhereThereIsNoDiagnostic()
    {
        await using var host = Fixture.CreateHost();
        var document = Document(host, "Calculator.cs");
        var fixes = await RoslynCodeFixes.GetFixesAsync(document, new TextSpan(0, 5), null, CancellationToken.None);
        Assert.Empty(fixes);
    }

    internal static Document Document(InMemoryWorkspaceHost host, string libraryFile)
    {
        var id = host.CurrentSolution.GetDocumentIdsWithFilePath(host.LibraryPath(libraryFile)).Single();
        return host.CurrentSolution.GetDocument(id)!;
    }

    internal static TextSpan Span(string code, string text) => new(code.IndexOf(text, StringComparison.Ordinal), text.Length);
}
