namespace OCI.Workspace.Files;

/// <summary>
/// The one walk over a workspace's files, with one set of rules for everything that searches, copies, hashes or
/// snapshots a tree (project discovery, the load cache's key, the shadow copy, the CLI's snapshot, copies of built
/// outputs): build outputs, VCS and tool state are skipped, and a linked folder (symlink, junction) is never entered,
/// since it can lead out of the tree (a write there would reach the user's files) or back into it (a walk without end).
/// Linked files are listed like any file.
/// </summary>
public static class WorkspaceTree
{
    /// <summary>Folders never searched or copied: build outputs, VCS and tool state.</summary>
    public static readonly IReadOnlySet<string> IgnoredFolders =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", ".vs", ".idea", "node_modules", "TestResults", ".oci" };

    /// <summary>Whether the walk enters <paramref name="folder"/> (by its name and whether it is a link).</summary>
    public static bool Enters(string folder) =>
        !IgnoredFolders.Contains(Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)))
        && new DirectoryInfo(folder).LinkTarget is null;

    /// <summary>
    /// The files under <paramref name="root"/> that match <paramref name="searchPattern"/>, at most
    /// <paramref name="maxDepth"/> folders below it (the root's own files are depth 0). A folder that cannot be read is
    /// passed to <paramref name="unreadable"/> (when given) and skipped.
    /// </summary>
    public static IEnumerable<string> Files(string root, string searchPattern = "*", int maxDepth = int.MaxValue, Action<string>? unreadable = null)
    {
        var pending = new Stack<(string Folder, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (folder, depth) = pending.Pop();
            List<string> files, children;
            try
            {
                files = Directory.EnumerateFiles(folder, searchPattern).ToList();
                children = depth < maxDepth ? Directory.EnumerateDirectories(folder).ToList() : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unreadable?.Invoke(folder);
                continue;
            }
            foreach (var file in files) yield return file;
            foreach (var child in children)
            {
                if (Enters(child)) pending.Push((child, depth + 1));
            }
        }
    }
}
