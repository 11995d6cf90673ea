using Microsoft.CodeAnalysis;

namespace OCI.Workspace.Testing;

/// <summary>
/// Finds the test projects that exercise changed code: those among the changed projects and the projects that depend
/// on them (transitively) that reference a test framework (xunit, NUnit, MSTest, TUnit, Microsoft.Testing.Platform,
/// Microsoft.NET.Test.Sdk) or declare
/// <c>IsTestProject</c>.
/// </summary>
public static class TestProjectDiscovery
{
    private static readonly string[] TestFrameworkAssemblies =
    [
        "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "Microsoft.TestPlatform.TestHost", "Microsoft.VisualStudio.TestPlatform.ObjectModel",
        "TUnit.Core", "Microsoft.Testing.Platform",
    ];

    public static bool IsTestProject(Project project)
    {
        foreach (var reference in project.MetadataReferences)
        {
            if (reference is not PortableExecutableReference { FilePath: { } path }) continue;
            var name = Path.GetFileNameWithoutExtension(path);
            if (TestFrameworkAssemblies.Any(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase))) return true;
        }
        if (project.FilePath is { } projectFile && File.Exists(projectFile))
        {
            var text = File.ReadAllText(projectFile);
            return text.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase)
                || text.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase)
                || text.Contains("MSTest.Sdk", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    /// <summary>The changed projects and everything that depends on them.</summary>
    public static IReadOnlySet<ProjectId> Affected(Solution solution, IEnumerable<ProjectId> changed)
    {
        var graph = solution.GetProjectDependencyGraph();
        var result = new HashSet<ProjectId>();
        foreach (var id in changed)
        {
            result.Add(id);
            result.UnionWith(graph.GetProjectsThatTransitivelyDependOnThisProject(id));
        }
        return result;
    }

    /// <summary>Test projects affected by the change; when the change touches no project, every test project.</summary>
    public static IReadOnlyList<Project> Find(Solution solution, IReadOnlyCollection<ProjectId> changed)
    {
        var candidates = changed.Count == 0 ? solution.ProjectIds.ToHashSet() : Affected(solution, changed);
        // Multi-targeted projects appear once per framework: the newest .NET one runs (TestProjectSelection.OneTargetFrameworkEach).
        return [.. TestProjectSelection.OneTargetFrameworkEach([.. candidates.Select(solution.GetProject).OfType<Project>().Where(IsTestProject)])
            .OrderBy(p => p.FilePath, StringComparer.Ordinal)];
    }

    /// <summary>The affected projects that no other affected project depends on: building these builds all the others.</summary>
    public static IReadOnlyList<Project> BuildTops(Solution solution, IReadOnlySet<ProjectId> affected)
    {
        var graph = solution.GetProjectDependencyGraph();
        return [.. affected
            .Where(id => !graph.GetProjectsThatDirectlyDependOnThisProject(id).Any(affected.Contains))
            .Select(solution.GetProject)
            .OfType<Project>()
            .Where(p => p.FilePath is not null)
            .GroupBy(p => p.FilePath, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(p => p.FilePath, StringComparer.Ordinal)];
    }
}
