using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Compilation;
using OCI.Workspace.SolutionState;

namespace OCI.Workspace.Tests;

/// <summary>
/// The editor's overlays return to a recent state (a typo undone, a fix-it that restores the text): that state's
/// solution serves again, with its compilation and the diagnostics already computed in it; a change from disk forgets them.
/// </summary>
public sealed class OverlaidSolutionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oci-overlays-" + Guid.NewGuid().ToString("N"));

    public OverlaidSolutionTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Clean = "public static class C { public static int Fill() => 1; public static int Use() => Fill(); }";
    private const string Typo = "public static class C { public static int Fill() => 1; public static int Use() => Fil(); }";

    private (OverlaidSolution State, string Path) Create()
    {
        var path = System.IO.Path.Combine(_folder, "C.cs");
        File.WriteAllText(path, Clean);
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib", "Lib", LanguageNames.CSharp,
            compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            metadataReferences: [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]));
        workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "C.cs", loader: TextLoader.From(TextAndVersion.Create(SourceText.From(Clean), VersionStamp.Create())), filePath: path));
        return (new OverlaidSolution(workspace.CurrentSolution), path);
    }

    [Fact]
    public async Task A_typo_undone_returns_to_the_solution_before_it_and_a_candidate_restoring_the_text_finds_it()
    {
        var (state, path) = Create();
        state.SetOverlay(path, Clean); // the editor opens the file: its disk text
        var clean = state.Solution;
        var cleanDiagnostics = await TreeDiagnostics.OfAsync(clean.Projects.Single().Documents.Single(), CancellationToken.None);

        state.SetOverlay(path, Typo);
        var typo = state.Solution;
        var restoring = state.RecentSolutionWith(new Dictionary<string, string> { [path] = Clean });
        state.SetOverlay(path, Clean);

        Assert.NotSame(clean, typo);
        Assert.Same(clean, restoring);
        Assert.Same(clean, state.Solution);
        Assert.Empty(cleanDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(await TreeDiagnostics.OfAsync(typo.Projects.Single().Documents.Single(), CancellationToken.None), d => d.Id == "CS0103");
        // Computed once per compilation: the same array again.
        Assert.Equal(cleanDiagnostics, await TreeDiagnostics.OfAsync(state.Solution.Projects.Single().Documents.Single(), CancellationToken.None));
    }

    [Fact]
    public void A_change_from_disk_forgets_the_recent_states()
    {
        var (state, path) = Create();
        state.SetOverlay(path, Clean);
        var clean = state.Solution;
        state.SetOverlay(path, Typo);
        File.WriteAllText(path, Clean + "\n// saved elsewhere\n");
        state.NotifyFileChanged(path);

        Assert.Null(state.RecentSolutionWith(new Dictionary<string, string> { [path] = Clean }));
        state.SetOverlay(path, Clean);
        Assert.NotSame(clean, state.Solution);
    }
}
