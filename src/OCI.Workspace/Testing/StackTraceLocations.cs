using System.Globalization;
using System.Text.RegularExpressions;

namespace OCI.Workspace.Testing;

/// <summary>
/// Finds where a test failed in a .NET stack trace (the first frame <c>in path:line N</c> that points into the
/// workspace) and rewrites shadow-copy paths in the trace to the user's paths. Shared by every test result parser.
/// </summary>
public static partial class StackTraceLocations
{
    [GeneratedRegex(@"\bin (?<path>.+?):line (?<line>\d+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FrameWithLocation();

    /// <summary>The first frame whose path <paramref name="mapWorkspacePath"/> maps (null: outside the workspace).</summary>
    public static (string? Path, int? Line) FirstWorkspaceFrame(string stackTrace, Func<string, string?> mapWorkspacePath)
    {
        foreach (Match frame in FrameWithLocation().Matches(stackTrace))
        {
            var mapped = mapWorkspacePath(frame.Groups["path"].Value.Trim());
            if (mapped is not null) return (mapped, int.Parse(frame.Groups["line"].Value, CultureInfo.InvariantCulture));
        }
        return (null, null);
    }

    public static string MapPaths(string stackTrace, Func<string, string?> mapWorkspacePath) =>
        FrameWithLocation().Replace(stackTrace, m =>
        {
            var mapped = mapWorkspacePath(m.Groups["path"].Value.Trim());
            return mapped is null ? m.Value : $"in {mapped}:line {m.Groups["line"].Value}";
        });
}
