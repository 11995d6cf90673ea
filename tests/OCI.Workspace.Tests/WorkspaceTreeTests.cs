using OCI.Workspace.Files;
using OCI.Workspace.Loading;
using OCI.Workspace.Shadow;

namespace OCI.Workspace.Tests;

/// <summary>
/// The one walk over a workspace (<see cref="WorkspaceTree"/>) on a real tree: build outputs, VCS and tool folders are
/// skipped at any depth, a linked folder is never entered (wherever it points), a linked file is listed; and the places
/// that walk a tree (project discovery, the shadow copy) follow it.
/// </summary>
public sealed class WorkspaceTreeTests : IDisposable
{
    private readonly string _container = Directory.CreateTempSubdirectory("oci-tree-").FullName;

    private string Root => Path.Combine(_container, "ws");

    private string Outside => Path.Combine(_container, "outside");

    public WorkspaceTreeTests()
    {
        Write(Outside, "Secret.cs");
        Write(Outside, "Outside.csproj");
        Write(Root, "App.csproj");
        Write(Root, "Program.cs");
        Write(Root, "src/Lib/Lib.csproj");
        Write(Root, "src/Lib/Deep/Code.cs");
        foreach (var ignored in new[] { "bin", "obj", ".git", ".vs", ".idea", "node_modules", "TestResults", ".oci", "src/Lib/obj", "src/Lib/BIN" })
        {
            Write(Root, $"{ignored}/Generated.cs");
            Write(Root, $"{ignored}/Stray.csproj");
        }
        Directory.CreateSymbolicLink(Path.Combine(Root, "linked"), Outside); // out of the tree
        Directory.CreateSymbolicLink(Path.Combine(Root, "src", "loop"), Root); // back into it
        File.CreateSymbolicLink(Path.Combine(Root, "Linked.cs"), Path.Combine(Outside, "Secret.cs"));
    }

    [Fact]
    public void The_walk_skips_ignored_folders_at_any_depth_never_enters_a_linked_folder_and_lists_linked_files()
    {
        var files = WorkspaceTree.Files(Root).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal);

        Assert.Equal(["App.csproj", "Linked.cs", "Program.cs", "src/Lib/Deep/Code.cs", "src/Lib/Lib.csproj"], files);
    }

    [Fact]
    public void The_walk_stops_at_the_given_depth_with_the_root_s_own_files_at_depth_zero()
    {
        string[] Names(int maxDepth) => [.. WorkspaceTree.Files(Root, "*.csproj", maxDepth).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

        Assert.Equal(["App.csproj"], Names(0));
        Assert.Equal(["App.csproj"], Names(1));
        Assert.Equal(["App.csproj", "Lib.csproj"], Names(2));
    }

    [Fact]
    public void Project_discovery_and_the_shadow_copy_see_the_same_files()
    {
        Assert.Equal([Path.Combine(Root, "App.csproj"), Path.Combine(Root, "src/Lib/Lib.csproj")], WorkspaceDiscovery.FindProjects(Root));

        using var shadow = ShadowWorkspace.Create(Root, Path.Combine(_container, "shadow"));
        var written = shadow.Synchronize(new Dictionary<string, string>(), CancellationToken.None).WrittenFiles.Order(StringComparer.Ordinal);
        Assert.Equal(["App.csproj", "Linked.cs", "Program.cs", "src/Lib/Deep/Code.cs", "src/Lib/Lib.csproj"], written);
        Assert.False(Directory.Exists(Path.Combine(shadow.Root, "linked")));
        Assert.False(Directory.Exists(Path.Combine(shadow.Root, "bin")));
    }

    public void Dispose() => Directory.Delete(_container, recursive: true);

    private static void Write(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
    }
}
