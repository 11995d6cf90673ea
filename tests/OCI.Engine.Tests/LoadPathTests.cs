using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Tests.Support;

namespace OCI.Engine.Tests;

/// <summary>
/// The load path: a document the editor opened while the workspace loaded has its semantic diagnostics when the load
/// returns (its "Fix with OCI" action is listed on the first codeAction, with no debounce to wait for), and only then
/// does the host start its background work (warm-up, known failures).
/// </summary>
public sealed class LoadPathTests
{
    private const string Broken = "namespace Lib;\n\npublic class J\n{\n    public string Make() => new StringBuilder().ToString();\n}\n";

    [Fact]
    public async Task A_document_open_during_the_load_is_diagnosed_before_the_load_returns_and_background_work_starts_after()
    {
        var host = Fixture.CreateHost(("J.cs", "namespace Lib;\n\npublic class J\n{\n}\n"));
        await using var engine = new RefineEngine(NullLoggerFactory.Instance, (_, _, _, _) => Task.FromResult<OCI.Workspace.IWorkspaceHost>(host));
        var path = host.LibraryPath("J.cs");
        engine.SetDocument(path, Broken); // opened before the workspace is there

        await engine.OpenWorkspaceAsync(host.Root, null, CancellationToken.None);
        var source = Microsoft.CodeAnalysis.Text.SourceText.From(Broken);
        var at = source.Lines.GetLinePosition(Broken.IndexOf("StringBuilder", StringComparison.Ordinal));
        var suggestions = await engine.SuggestActionsAsync(path, new(at, at), [], CancellationToken.None);

        Assert.Contains(suggestions, s => s.Kind == RefineKind.FixDiagnostic && s.DiagnosticId == "CS0246");
        Assert.Equal(1, host.BackgroundWorkStarts);
    }
}
