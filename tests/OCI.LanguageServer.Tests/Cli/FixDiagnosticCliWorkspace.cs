namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// One temp copy of samples/FixDiagnostic (Slug.cs lacks <c>using System.Text;</c>: CS0246) shared by the
/// <c>oci refine</c> tests; <see cref="RestoreSlug"/> puts Slug.cs back after a test that wrote it.
/// </summary>
public sealed class FixDiagnosticCliWorkspace : IDisposable
{
    public const string SlugPath = "src/TextTools/Slug.cs";

    public FixDiagnosticCliWorkspace()
    {
        OriginalSlug = File.ReadAllBytes(Workspace.PathOf(SlugPath));
    }

    public WorkspaceCopy Workspace { get; } = WorkspaceCopy.OfSample("FixDiagnostic");

    /// <summary>TMPDIR of every run: the shadow copies the engine makes stay inside the copy's container.</summary>
    public string TempFolder => Path.Combine(Workspace.Container, "tmp");

    public byte[] OriginalSlug { get; }

    public byte[] CurrentSlug => File.ReadAllBytes(Workspace.PathOf(SlugPath));

    /// <summary><c>oci refine &lt;copy&gt; …</c>.</summary>
    public Task<CliRun> RefineAsync(params string[] arguments) =>
        CliRun.StartAsync(["refine", Workspace.Root, .. arguments], TempFolder);

    public void RestoreSlug() => File.WriteAllBytes(Workspace.PathOf(SlugPath), OriginalSlug);

    public void Dispose() => Workspace.Dispose();
}
