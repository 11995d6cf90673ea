namespace OCI.Testing;

/// <summary>
/// A private copy of a fixture workspace in a fresh temp folder, so tests never modify the repository and can run in
/// parallel: a folder under tests/fixtures (with the fixtures' own Directory.* files) or a sample under samples/.
/// The shadow copies a host builds in go beside it (<see cref="ShadowRoot"/>) and are deleted with it.
/// </summary>
public sealed class WorkspaceCopy : IDisposable
{
    private WorkspaceCopy(string container)
    {
        Container = container;
        Root = Path.Combine(container, "ws");
        ShadowRoot = Path.Combine(container, "shadow");
    }

    public string Container { get; }

    /// <summary>The user's workspace (what the host loads, the folder the server opens).</summary>
    public string Root { get; }

    /// <summary>Where the host keeps its shadow copies (<c>oci.verification.shadowRoot</c>), outside <see cref="Root"/>.</summary>
    public string ShadowRoot { get; }

    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <param name="name">The folder under tests/fixtures.</param>
    /// <param name="parent">Where the copy goes; null: the temp folder (some sandbox tests need a tree outside /tmp).</param>
    public static WorkspaceCopy OfFixture(string name, string? parent = null)
    {
        var copy = Create(name, parent);
        foreach (var file in Directory.EnumerateFiles(FixturePaths.Fixtures, "Directory.*"))
        {
            File.Copy(file, Path.Combine(copy.Root, Path.GetFileName(file)));
        }
        SourceTree.Copy(Path.Combine(FixturePaths.Fixtures, name), copy.Root);
        return copy;
    }

    /// <param name="name">The folder under samples/.</param>
    public static WorkspaceCopy OfSample(string name)
    {
        var copy = Create(name, parent: null);
        SourceTree.Copy(Path.Combine(FixturePaths.RepositoryRoot, "samples", name), copy.Root);
        return copy;
    }

    /// <param name="name">The repository under ../shared/corpus (never modified in place: this copies it).</param>
    public static WorkspaceCopy OfCorpus(string name)
    {
        var source = Path.Combine(FixturePaths.Shared, "corpus", name);
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"the corpus is missing: {source} (see ../shared/corpus/README.md)");
        var copy = Create(name, parent: null);
        SourceTree.Copy(source, copy.Root);
        return copy;
    }

    private static WorkspaceCopy Create(string name, string? parent)
    {
        var copy = new WorkspaceCopy(Path.Combine(parent ?? Path.Combine(Path.GetTempPath(), "oci-tests"), $"{name}-{Guid.NewGuid():N}"[..24]));
        Directory.CreateDirectory(copy.Root);
        return copy;
    }


    public void Dispose()
    {
        try
        {
            Directory.Delete(Container, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
