using OCI.Testing;

namespace OCI.Workspace.Tests.Support;

/// <summary>
/// A private copy of one fixture under tests/fixtures in a fresh temp folder (with the fixtures' own Directory.* files),
/// so tests never modify the repository and can run in parallel. Also holds the folder for the shadow copies.
/// </summary>
public sealed class FixtureCopy : IDisposable
{
    private FixtureCopy(string container)
    {
        Container = container;
        Root = Path.Combine(container, "ws");
        ShadowRoot = Path.Combine(container, "shadow");
    }

    /// <summary>The user's workspace (what the host loads).</summary>
    public string Root { get; }

    /// <summary>Where the host keeps its shadow copies (outside <see cref="Root"/>).</summary>
    public string ShadowRoot { get; }

    public string Container { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <param name="fixtureName">The folder under tests/fixtures.</param>
    /// <param name="parent">Where the copy goes; null: the temp folder (some sandbox tests need a tree outside /tmp).</param>
    public static FixtureCopy Create(string fixtureName, string? parent = null)
    {
        var container = Path.Combine(parent ?? Path.Combine(Path.GetTempPath(), "oci-ws-tests"), $"{fixtureName}-{Guid.NewGuid():N}"[..24]);
        var copy = new FixtureCopy(container);
        Directory.CreateDirectory(copy.Root);
        foreach (var file in Directory.EnumerateFiles(FixturePaths.Fixtures, "Directory.*"))
        {
            File.Copy(file, Path.Combine(copy.Root, Path.GetFileName(file)));
        }
        CopyDirectory(Path.Combine(FixturePaths.Fixtures, fixtureName), copy.Root);
        return copy;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj") continue;
            CopyDirectory(directory, Path.Combine(target, name));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Container, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
