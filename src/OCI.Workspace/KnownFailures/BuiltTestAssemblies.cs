using Microsoft.CodeAnalysis;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.KnownFailures;

/// <summary>
/// The test assemblies the user already built (each test project's output in its bin/ folder), as a source of known
/// test outcomes that needs no build: they are copied into the shadow copy and run there, sandboxed, never in the
/// user's tree. Usable when every test project has its output (with its deps.json and runtimeconfig.json) and each
/// was built after its MSBuild inputs (its and its referenced projects' project files and restore output, the
/// Directory.Build.* / Directory.Packages.props / global.json files above them) last changed, so it was built as the
/// projects are configured now. <see cref="Current"/> says whether it was also built after every source file of those
/// projects (then it is the code as it is); otherwise it is the code as last built, before the latest edits.
/// </summary>
internal sealed record BuiltTestAssemblies(IReadOnlyList<string> Assemblies, DateTime BuiltAtUtc, bool Current)
{
    private static readonly string[] ImportedFileNames = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json"];

    /// <summary>Where the outcomes came from, as the result and the log say it.</summary>
    public KnownFailuresSource Source => Current ? KnownFailuresSource.BuiltTestsUpToDate : KnownFailuresSource.BuiltTestsBeforeLatestChanges;

    /// <summary>The user's built test assemblies for <paramref name="solution"/>, or null when one is missing or older than its project inputs.</summary>
    public static BuiltTestAssemblies? Find(Solution solution, string workspaceRoot)
    {
        var testProjects = TestProjectDiscovery.Find(solution, []);
        if (testProjects.Count == 0) return null;
        var graph = solution.GetProjectDependencyGraph();
        var assemblies = new List<string>();
        var oldest = DateTime.MaxValue;
        var current = true;
        foreach (var test in testProjects)
        {
            if (test.OutputFilePath is not { } output || !IsInside(output, workspaceRoot) || !File.Exists(output)) return null;
            if (!File.Exists(Path.ChangeExtension(output, ".runtimeconfig.json")) || !File.Exists(Path.ChangeExtension(output, ".deps.json"))) return null;
            var built = File.GetLastWriteTimeUtc(output);
            var projects = graph.GetProjectsThatThisProjectTransitivelyDependsOn(test.Id).Select(solution.GetProject).OfType<Project>().Append(test).ToList();
            foreach (var project in projects)
            {
                if (project.FilePath is not { } projectFile) return null;
                if (ProjectInputs(projectFile, workspaceRoot).Any(input => File.Exists(input) && File.GetLastWriteTimeUtc(input) > built)) return null;
                if (project.Documents.Any(d => d.FilePath is { } path && !IsGenerated(path, projectFile) && (!File.Exists(path) || File.GetLastWriteTimeUtc(path) > built)))
                {
                    current = false;
                }
            }
            assemblies.Add(output);
            if (built < oldest) oldest = built;
        }
        return new BuiltTestAssemblies(assemblies, oldest, current);
    }

    /// <summary>The files whose change means the design-time inputs of a build changed.</summary>
    private static IEnumerable<string> ProjectInputs(string projectFile, string workspaceRoot)
    {
        var folder = Path.GetDirectoryName(projectFile)!;
        yield return projectFile;
        yield return Path.Combine(folder, "obj", "project.assets.json");
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            foreach (var name in ImportedFileNames) yield return Path.Combine(directory.FullName, name);
            if (string.Equals(directory.FullName.TrimEnd(Path.DirectorySeparatorChar), workspaceRoot.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) yield break;
        }
    }

    /// <summary>Files the build itself writes under obj/ (global usings, assembly info): not the user's sources.</summary>
    private static bool IsGenerated(string path, string projectFile) =>
        Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, path).Split(Path.DirectorySeparatorChar).Contains("obj", StringComparer.Ordinal);

    private static bool IsInside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
