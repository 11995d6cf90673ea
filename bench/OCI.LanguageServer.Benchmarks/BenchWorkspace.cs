using System.Text;
using OCI.Testing;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>
/// tests/fixtures/StubbedMethod copied to a temp folder, plus a generated file of a realistic size (Catalog.cs: many
/// small classes, some stubbed members, a thousand lines) so codeAction runs on more than a toy file.
/// </summary>
internal sealed class BenchWorkspace : IDisposable
{
    private BenchWorkspace(string container)
    {
        Container = container;
        Root = Path.Combine(container, "ws");
    }

    public string Container { get; }

    public string Root { get; }

    public string ShadowRoot => Path.Combine(Container, "shadow");

    public static BenchWorkspace Create(int generatedClasses)
    {
        var workspace = new BenchWorkspace(Path.Combine(Path.GetTempPath(), "oci-bench-server", Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(workspace.Root);
        foreach (var file in Directory.EnumerateFiles(FixturePaths.Fixtures, "Directory.*"))
        {
            File.Copy(file, Path.Combine(workspace.Root, Path.GetFileName(file)));
        }
        Copy(Path.Combine(FixturePaths.Fixtures, "StubbedMethod"), workspace.Root);
        File.WriteAllText(Path.Combine(workspace.Root, "Geometry", "Catalog.cs"), GenerateCatalog(generatedClasses));
        return workspace;
    }

    public IReadOnlyList<string> SourceFiles() =>
        Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string GenerateCatalog(int classes)
    {
        var text = new StringBuilder("namespace Geometry.Catalog;\n\n");
        for (var i = 0; i < classes; i++)
        {
            text.Append($$"""
                /// <summary>Generated shape {{i}} (benchmark filler of a realistic shape).</summary>
                public sealed class Shape{{i}}
                {
                    private readonly int _size;

                    public Shape{{i}}(int size)
                    {
                        _size = size;
                    }

                    public int Size => _size;

                    public int Scaled(int factor) => _size * factor;

                    public string Describe()
                    {
                        var text = new System.Text.StringBuilder();
                        text.Append("Shape{{i}} of size ").Append(_size);
                        return text.ToString();
                    }

                    public int Combine(Shape{{i}} other)
                    {
                        {{(i % 3 == 0 ? "throw new NotImplementedException();" : "return _size + other.Size;")}}
                    }
                }


                """);
        }
        return text.ToString();
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            if (Path.GetFileName(directory) is not ("bin" or "obj"))
            {
                Copy(directory, Path.Combine(target, Path.GetFileName(directory)));
            }
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
