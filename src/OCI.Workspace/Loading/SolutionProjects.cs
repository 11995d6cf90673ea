using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace OCI.Workspace.Loading;

/// <summary>
/// The project files a solution lists (.slnx: every <c>Project Path="…"</c>; .sln: every <c>Project(…) = "…", "path", …</c>
/// line), as full paths of files that exist. What restore-on-load may touch: the solution's projects, never another
/// project that happens to lie in the same tree.
/// </summary>
internal static partial class SolutionProjects
{
    private static readonly string[] ProjectExtensions = [".csproj", ".vbproj", ".fsproj"];

    public static IReadOnlyList<string> Read(string solutionPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(solutionPath))!;
        IEnumerable<string> relative;
        try
        {
            relative = solutionPath.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
                ? XDocument.Load(solutionPath).Descendants().Where(e => e.Name.LocalName == "Project").Select(e => (string?)e.Attribute("Path")).OfType<string>().ToList()
                : File.ReadLines(solutionPath).Select(line => SlnProjectLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["path"].Value).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            return [];
        }
        return relative
            .Select(p => Path.GetFullPath(Path.Combine(folder, p.Replace('\\', Path.DirectorySeparatorChar))))
            .Where(p => ProjectExtensions.Any(x => p.EndsWith(x, StringComparison.OrdinalIgnoreCase)) && File.Exists(p))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex(@"^\s*Project\(""\{[^}]+\}""\)\s*=\s*""[^""]*""\s*,\s*""(?<path>[^""]+)""")]
    private static partial Regex SlnProjectLine();
}
