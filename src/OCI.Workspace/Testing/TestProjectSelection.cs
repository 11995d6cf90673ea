using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Testing;

/// <summary>
/// The test projects a filter of test names can select anything in. Why: every test project launched costs its start
/// (a Microsoft.Testing.Platform application about half a second; a VSTest run more), and a round's filter names the
/// reaching tests, which often live in one project of several: the others would start only to run nothing (exit code
/// 8). A project is kept when one of its types is the start of a name (<c>Ns.Class</c> for <c>Ns.Class.Method</c>)
/// or lies under it (a namespace or class name). Read from syntax only, so it costs no compilation. Conservative: a
/// filter that is not a list of full names (a trait, a partial name whose first part is no namespace or type here)
/// keeps every project, and so does a filter no project matches.
/// </summary>
public static class TestProjectSelection
{
    public static async Task<IReadOnlyList<Project>> SelectingAsync(IReadOnlyList<Project> testProjects, string? filter, CancellationToken cancellationToken)
    {
        var names = TestApplicationFilters.Names(filter).Select(Bare).ToList();
        if (names.Count == 0 || testProjects.Count < 2) return testProjects;
        var types = new List<(Project Project, HashSet<string> Types)>();
        foreach (var project in testProjects)
        {
            types.Add((project, await TypeNamesAsync(project, cancellationToken).ConfigureAwait(false)));
        }
        var roots = types.SelectMany(t => t.Types).Select(t => t.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        if (names.Any(n => !roots.Contains(n.Split('.')[0]))) return testProjects;
        var selected = types
            .Where(t => t.Types.Any(type => names.Any(n => n.StartsWith(type + ".", StringComparison.Ordinal) || (type + ".").StartsWith(n, StringComparison.Ordinal))))
            .Select(t => t.Project)
            .ToList();
        return selected.Count == 0 ? testProjects : selected;
    }

    /// <summary>
    /// One target framework of each multi-targeted test project, the one a round runs: the newest .NET one (Roslyn
    /// names each framework's project <c>Name(net10.0)</c>), the framework the user most likely runs and the one the
    /// installed runtime runs as built. The others differ only where the sources do (<c>#if</c>); <c>dotnet test</c>
    /// runs each, so a test that fails on an older framework only is not seen here (a known limit).
    /// </summary>
    public static IReadOnlyList<Project> OneTargetFrameworkEach(IReadOnlyList<Project> testProjects)
    {
        ArgumentNullException.ThrowIfNull(testProjects);
        return [.. testProjects
            .GroupBy(p => p.FilePath ?? p.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(p => FrameworkRank(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal).First())];
    }

    /// <summary>How new a project's framework is, from the name Roslyn gives it: net10.0 above net8.0 above netstandard and .NET Framework.</summary>
    internal static (int Modern, Version Version) FrameworkRank(string projectName)
    {
        var open = projectName.LastIndexOf('(');
        if (open < 0 || !projectName.EndsWith(')')) return (0, new Version(0, 0));
        var framework = projectName[(open + 1)..^1].ToLowerInvariant();
        // .NET (net5.0 and later) and .NET Core (netcoreapp3.1) have a dotted version; .NET Framework (net462) has none.
        var version = framework.StartsWith("netcoreapp", StringComparison.Ordinal) ? framework["netcoreapp".Length..]
            : framework.StartsWith("net", StringComparison.Ordinal) && !framework.StartsWith("netstandard", StringComparison.Ordinal) ? framework[3..]
            : null;
        var dash = version?.IndexOf('-', StringComparison.Ordinal) ?? -1; // net8.0-windows
        if (dash >= 0) version = version![..dash];
        return version is not null && version.Contains('.', StringComparison.Ordinal) && Version.TryParse(version, out var parsed)
            ? (1, parsed)
            : (0, new Version(0, 0));
    }

    /// <summary>A test name without its arguments, nested types dotted as in source (<c>Ns.Outer+Inner.M(1)</c> gives <c>Ns.Outer.Inner.M</c>).</summary>
    private static string Bare(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        return (open >= 0 ? name[..open] : name).Replace('+', '.');
    }

    /// <summary>The full names of the types the project's C# documents declare.</summary>
    private static async Task<HashSet<string>> TypeNamesAsync(Project project, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in project.Documents)
        {
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root) continue;
            foreach (var type in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).OfType<TypeDeclarationSyntax>())
            {
                names.Add(FullName(type));
            }
        }
        return names;
    }

    private static string FullName(TypeDeclarationSyntax type)
    {
        var parts = new List<string>();
        for (SyntaxNode? node = type; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax t) parts.Add(t.Identifier.Text);
            else if (node is BaseNamespaceDeclarationSyntax ns) parts.Add(ns.Name.ToString());
        }
        parts.Reverse();
        return string.Join('.', parts);
    }
}
