namespace OCI.Workspace.Loading;

/// <summary>What to load under a root folder: one solution, or else the project files found under it.</summary>
public sealed record WorkspaceEntryPoints(string? SolutionPath, IReadOnlyList<string> ProjectPaths);

/// <summary>Finds the solution (.sln/.slnx) or the projects under the user's root folder.</summary>
public static class WorkspaceDiscovery
{
    /// <summary>Folders never searched or copied: build outputs, VCS and tool state.</summary>
    public static readonly IReadOnlySet<string> IgnoredFolders =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", ".vs", ".idea", "node_modules", "TestResults", ".oci" };

    /// <summary>
    /// A solution at the root wins (if several, the one named like the folder, else the first by name);
    /// otherwise every .csproj under the root (bin/obj and the like skipped), at most <paramref name="maxDepth"/> deep.
    /// </summary>
    public static WorkspaceEntryPoints Find(string rootPath, int maxDepth = 6)
    {
        var root = Path.GetFullPath(rootPath);
        if (File.Exists(root) && (root.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || root.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)))
            return new WorkspaceEntryPoints(root, []);
        if (File.Exists(root) && root.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            return new WorkspaceEntryPoints(null, [root]);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Workspace folder not found: {root}");

        var solutions = Directory.EnumerateFiles(root, "*.sln").Concat(Directory.EnumerateFiles(root, "*.slnx"))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (solutions.Count > 0)
        {
            var folderName = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
            var preferred = solutions.FirstOrDefault(s => string.Equals(Path.GetFileNameWithoutExtension(s), folderName, StringComparison.OrdinalIgnoreCase));
            return new WorkspaceEntryPoints(preferred ?? solutions[0], []);
        }

        return new WorkspaceEntryPoints(null, FindProjects(root, maxDepth));
    }

    /// <summary>Every .csproj under <paramref name="root"/> (bin/obj and the like skipped), sorted.</summary>
    public static IReadOnlyList<string> FindProjects(string root, int maxDepth = 6)
    {
        var projects = new List<string>();
        Collect(Path.GetFullPath(root), 0);
        projects.Sort(StringComparer.Ordinal);
        return projects;

        void Collect(string directory, int depth)
        {
            projects.AddRange(Directory.EnumerateFiles(directory, "*.csproj"));
            if (depth >= maxDepth) return;
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (IgnoredFolders.Contains(Path.GetFileName(child))) continue;
                Collect(child, depth + 1);
            }
        }
    }
}
