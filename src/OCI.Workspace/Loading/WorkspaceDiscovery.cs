using OCI.Workspace.Files;

namespace OCI.Workspace.Loading;

/// <summary>
/// What to load under a root folder: one solution, or else the project files found under it. <paramref name="OtherSolutions"/>
/// are the solutions beside the chosen one that were not opened (the user is told, and how to choose).
/// </summary>
public sealed record WorkspaceEntryPoints(string? SolutionPath, IReadOnlyList<string> ProjectPaths, IReadOnlyList<string>? OtherSolutions = null)
{
    /// <summary>The sentence that tells the user which of several solutions was opened and how to open another; null for one.</summary>
    public string? ChoiceNotice => OtherSolutions is { Count: > 0 } others && SolutionPath is not null
        ? $"info: {Path.GetFileName(SolutionPath)} was opened; this folder also holds {string.Join(", ", others.Select(Path.GetFileName))}: set oci.verification.solution to the one to open"
        : null;
}

/// <summary>Finds the solution (.sln/.slnx) or the projects under the user's root folder.</summary>
public static class WorkspaceDiscovery
{
    /// <summary>
    /// A solution at the root wins (if several, the one <paramref name="preferredSolution"/> names (file name or path
    /// relative to the root), else the one named like the folder, else the first by name);
    /// otherwise every .csproj under the root (bin/obj and the like skipped), at most <paramref name="maxDepth"/> deep.
    /// </summary>
    public static WorkspaceEntryPoints Find(string rootPath, int maxDepth = 6, string? preferredSolution = null)
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
            var chosen = preferredSolution is { Length: > 0 } named ? Path.GetFullPath(Path.Combine(root, named)) : null;
            var preferred = solutions.FirstOrDefault(s => string.Equals(s, chosen, StringComparison.Ordinal))
                ?? solutions.FirstOrDefault(s => string.Equals(Path.GetFileNameWithoutExtension(s), folderName, StringComparison.OrdinalIgnoreCase))
                ?? solutions[0];
            return new WorkspaceEntryPoints(preferred, [], [.. solutions.Where(s => s != preferred)]);
        }

        return new WorkspaceEntryPoints(null, FindProjects(root, maxDepth));
    }

    /// <summary>Every .csproj under <paramref name="root"/> (bin/obj and the like skipped: <see cref="WorkspaceTree"/>), sorted.</summary>
    public static IReadOnlyList<string> FindProjects(string root, int maxDepth = 6) =>
        [.. WorkspaceTree.Files(Path.GetFullPath(root), "*.csproj", maxDepth).Order(StringComparer.Ordinal)];
}
