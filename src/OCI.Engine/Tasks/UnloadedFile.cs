using OCI.Workspace;

namespace OCI.Engine.Tasks;

/// <summary>Why a command cannot run on a file that no loaded project holds, in words the user can act on.</summary>
public static class UnloadedFile
{
    /// <summary>
    /// "Thing.cs is not part of any loaded project (1 loaded, 3 load problems); it cannot be compiled or tested. The
    /// load problem of its folder: …". Problems are lines, not projects (one broken project may give several), so they
    /// are counted as problems; the one that names the file's folder says why its project is missing.
    /// </summary>
    public static string Describe(string path, WorkspaceLoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var problems = report.Problems;
        var counts = $"{report.LoadedProjects.Count} loaded" + (problems.Count switch
        {
            0 => "",
            1 => ", 1 load problem",
            _ => $", {problems.Count} load problems",
        });
        var folder = Path.GetDirectoryName(path) is { Length: > 0 } directory ? directory + Path.DirectorySeparatorChar : null;
        var related = folder is null ? null : problems.FirstOrDefault(p => p.Contains(folder, StringComparison.Ordinal));
        return $"{Path.GetFileName(path)} is not part of any loaded project ({counts}); it cannot be compiled or tested."
            + (related is null ? "" : " The load problem of its folder: " + related);
    }
}
