using System.Text.RegularExpressions;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Building;

/// <summary>
/// Parses MSBuild's canonical diagnostic lines, <c>origin(line,col): error CODE: message [project]</c>, where origin is
/// a file (optionally with a position, or an end position too) or a tool name such as MSBUILD. Paths inside the shadow
/// copy are mapped back to the user's files by <paramref name="mapPath"/>. Duplicates (MSBuild repeats errors in its
/// summary) are dropped; order of first appearance is kept.
/// </summary>
public static partial class BuildOutputParser
{
    [GeneratedRegex(
        @"^\s*(?:\d+>)?(?<origin>\S.*?)(?:\((?<line>\d+)(?:,(?<col>\d+))?(?:,\d+,\d+)?\))?\s*:\s*(?:[\w ]+\s)?(?<sev>error|warning)\s*(?<code>[A-Za-z]+\d+)?\s*:\s*(?<msg>.*?)(?:\s+\[(?<proj>[^\[\]]+)\])?\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalLine();

    public static IReadOnlyList<CompilerDiagnostic> Parse(string output, Func<string, string>? mapPath = null)
    {
        mapPath ??= p => p;
        var seen = new HashSet<(string, string, string?, int, int)>();
        var result = new List<CompilerDiagnostic>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || (!line.Contains("error", StringComparison.Ordinal) && !line.Contains("warning", StringComparison.Ordinal))) continue;
            var match = CanonicalLine().Match(line);
            if (!match.Success) continue;
            var origin = match.Groups["origin"].Value.Trim();
            var isFile = Path.IsPathRooted(origin) || origin.Contains('/', StringComparison.Ordinal) || origin.Contains('\\', StringComparison.Ordinal) || origin.Contains('.', StringComparison.Ordinal);
            string? path = isFile ? mapPath(origin) : null;
            var lineNumber = match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var column = match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var code = match.Groups["code"].Success ? match.Groups["code"].Value : (isFile ? "BUILD" : origin);
            var message = match.Groups["msg"].Value.Trim();
            if (!seen.Add((code, message, path, lineNumber, column))) continue;
            var severity = match.Groups["sev"].Value == "error" ? DiagnosticSeverityLevel.Error : DiagnosticSeverityLevel.Warning;
            result.Add(new CompilerDiagnostic(code, severity, message, path, lineNumber, column));
        }
        return result;
    }

    /// <summary>Compiler errors point into source files; everything else (MSB, NETSDK, NU …) is the build system's.</summary>
    public static bool IsCompilerDiagnostic(CompilerDiagnostic diagnostic) =>
        diagnostic.Path is not null && diagnostic.Line > 0 && diagnostic.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The diagnostic with the text of its line, from the checked texts (a candidate's) or else the workspace's
    /// (<paramref name="readText"/>): MSBuild reports a position, the model reads the line.
    /// </summary>
    internal static CompilerDiagnostic WithSourceLine(CompilerDiagnostic diagnostic, IReadOnlyDictionary<string, string> texts, Func<string, string?> readText)
    {
        if (diagnostic.Path is null || diagnostic.Line <= 0 || diagnostic.SourceLine is not null) return diagnostic;
        var text = texts.TryGetValue(diagnostic.Path, out var t) ? t : readText(diagnostic.Path);
        if (text is null) return diagnostic;
        var lines = text.Split('\n');
        return diagnostic.Line <= lines.Length ? diagnostic with { SourceLine = lines[diagnostic.Line - 1].TrimEnd('\r') } : diagnostic;
    }
}
