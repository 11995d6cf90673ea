using OCI.Testing;

namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>
/// A private copy of a fixture workspace in a fresh temp folder, so the end-to-end tests never touch the repository:
/// a folder under tests/fixtures (with the fixtures' own Directory.* files) or a sample under samples/. The shadow
/// copies the server builds in go beside it (see <see cref="ShadowRoot"/>) and are deleted with it.
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

    /// <summary>The folder the server opens (its rootUri).</summary>
    public string Root { get; }

    /// <summary>For <c>oci.verification.shadowRoot</c>: keeps the server's build copies inside <see cref="Container"/>.</summary>
    public string ShadowRoot { get; }

    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public static WorkspaceCopy OfFixture(string name)
    {
        var copy = Create(name);
        foreach (var file in Directory.EnumerateFiles(FixturePaths.Fixtures, "Directory.*"))
        {
            File.Copy(file, Path.Combine(copy.Root, Path.GetFileName(file)));
        }
        CopyDirectory(Path.Combine(FixturePaths.Fixtures, name), copy.Root);
        return copy;
    }

    public static WorkspaceCopy OfSample(string name)
    {
        var copy = Create(name);
        CopyDirectory(Path.Combine(FixturePaths.RepositoryRoot, "samples", name), copy.Root);
        return copy;
    }

    private static WorkspaceCopy Create(string name)
    {
        var copy = new WorkspaceCopy(Path.Combine(Path.GetTempPath(), "oci-e2e", $"{name}-{Guid.NewGuid():N}"[..24]));
        Directory.CreateDirectory(copy.Root);
        return copy;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or "TestResults")
            {
                continue;
            }
            CopyDirectory(directory, Path.Combine(target, name));
        }
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
