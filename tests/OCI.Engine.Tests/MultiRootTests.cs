using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Tests.Support;
using OCI.Workspace;
using OCI.Workspace.DiskChanges;

namespace OCI.Engine.Tests;

/// <summary>
/// Two workspace folders open at once: each document is served by the folder whose solution holds it, disk changes
/// reach only the folder they are under, and closing a folder leaves the other serving.
/// </summary>
public sealed class MultiRootTests
{
    private const string Alpha = "namespace Lib;\n\npublic class Alpha\n{\n    public int One() => 1;\n}\n";
    private const string Beta = "namespace Lib;\n\npublic class Beta\n{\n    public int Two() => 2;\n}\n";

    private static async Task<(RefineEngine Engine, InMemoryWorkspaceHost A, InMemoryWorkspaceHost B)> OpenBothAsync()
    {
        var a = InMemoryWorkspaceHost.Create(new Dictionary<string, string> { ["Alpha.cs"] = Alpha });
        var b = InMemoryWorkspaceHost.Create(new Dictionary<string, string> { ["Beta.cs"] = Beta });
        var engine = new RefineEngine(NullLoggerFactory.Instance,
            (root, _, _, _) => Task.FromResult<IWorkspaceHost>(root == a.Root ? a : b));
        await engine.OpenWorkspaceAsync(a.Root, null, CancellationToken.None);
        await engine.OpenWorkspaceAsync(b.Root, null, CancellationToken.None);
        return (engine, a, b);
    }

    private static LinePositionSpan At(string text, string marker)
    {
        var position = SourceText.From(text).Lines.GetLinePosition(text.IndexOf(marker, StringComparison.Ordinal));
        return new LinePositionSpan(position, position);
    }

    [Fact]
    public async Task Each_folder_serves_its_own_documents()
    {
        var (engine, a, b) = await OpenBothAsync();
        await using var _ = engine;

        var inAlpha = await engine.SuggestActionsAsync(a.LibraryPath("Alpha.cs"), At(Alpha, "=> 1"), [], CancellationToken.None);
        var inBeta = await engine.SuggestActionsAsync(b.LibraryPath("Beta.cs"), At(Beta, "=> 2"), [], CancellationToken.None);

        Assert.Contains(inAlpha, s => s.Kind == RefineKind.RunAndRefine && s.Title.Contains("One", StringComparison.Ordinal));
        Assert.Contains(inBeta, s => s.Kind == RefineKind.RunAndRefine && s.Title.Contains("Two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_disk_change_reaches_only_the_folder_it_is_under()
    {
        var (engine, a, b) = await OpenBothAsync();
        await using var _ = engine;
        var betaPath = b.LibraryPath("Beta.cs");
        b.WriteToDisk(betaPath, Beta.Replace("=> 2", "=> 22", StringComparison.Ordinal));

        var effect = engine.ApplyDiskChanges([new DiskChange(betaPath, DiskChangeKind.Changed)]);

        Assert.Equal([Path.Combine(b.Root, "Lib", "Lib.csproj")], effect.ChangedProjects);
        Assert.Contains("=> 22", b.GetText(betaPath), StringComparison.Ordinal);
        Assert.Equal(Alpha, a.GetText(a.LibraryPath("Alpha.cs")));
        Assert.Equal(1, engine.DiskGeneration);
    }

    [Fact]
    public async Task Closing_a_folder_leaves_the_other_serving()
    {
        var (engine, a, b) = await OpenBothAsync();
        await using var _ = engine;

        await engine.CloseWorkspaceAsync(a.Root, CancellationToken.None);

        Assert.Empty(await engine.SuggestActionsAsync(a.LibraryPath("Alpha.cs"), At(Alpha, "=> 1"), [], CancellationToken.None));
        Assert.NotEmpty(await engine.SuggestActionsAsync(b.LibraryPath("Beta.cs"), At(Beta, "=> 2"), [], CancellationToken.None));
    }
}
