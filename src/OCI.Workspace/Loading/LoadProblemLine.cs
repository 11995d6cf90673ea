using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace OCI.Workspace.Loading;

/// <summary>
/// The report line of one MSBuildWorkspace load diagnostic, with its real severity. MSBuildWorkspace reports every
/// message the design-time build logged as a failure ("Msbuild failed when processing the file '…' with message: …"),
/// NuGet's restore warnings (NU1603 "… was resolved instead", NU1510 …) included, without their codes. The restore
/// wrote those same messages with code and level into the project's obj/project.assets.json; a message found there
/// takes that level and code, so a warning is shown as <c>warning:</c>, never as <c>error:</c>.
/// </summary>
internal sealed partial class LoadProblemLine
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<RestoreLogEntry>> _restoreLogs = new(StringComparer.Ordinal);

    public string For(WorkspaceDiagnostic diagnostic)
    {
        var isError = diagnostic.Kind == WorkspaceDiagnosticKind.Failure;
        if (MSBuildMessage().Match(diagnostic.Message) is { Success: true } match)
        {
            var project = match.Groups["path"].Value;
            var message = match.Groups["message"].Value.Trim();
            var logged = RestoreLog(project).FirstOrDefault(e => string.Equals(e.Message.Trim(), message, StringComparison.Ordinal));
            if (logged is not null)
            {
                var level = string.Equals(logged.Level, "Error", StringComparison.OrdinalIgnoreCase) ? "error" : "warning";
                return $"{level}: {Path.GetFileName(project)}: {logged.Code}: {message}";
            }
        }
        return $"{(isError ? "error" : "warning")}: {diagnostic.Message}";
    }

    /// <summary>Whether a report line is an error about <paramref name="projectPath"/> (as <see cref="For"/> writes them).</summary>
    public static bool IsErrorAbout(string line, string projectPath) =>
        line.StartsWith("error:", StringComparison.Ordinal)
        && (line.Contains($"'{projectPath}'", StringComparison.Ordinal) || line.StartsWith($"error: {Path.GetFileName(projectPath)}: ", StringComparison.Ordinal));

    private IReadOnlyList<RestoreLogEntry> RestoreLog(string projectPath) => _restoreLogs.GetOrAdd(projectPath, static path =>
    {
        var assets = Path.Combine(Path.GetDirectoryName(path)!, "obj", "project.assets.json");
        try
        {
            if (!File.Exists(assets)) return [];
            using var stream = File.OpenRead(assets);
            using var document = JsonDocument.Parse(stream);
            if (!document.RootElement.TryGetProperty("logs", out var logs) || logs.ValueKind != JsonValueKind.Array) return [];
            return logs.EnumerateArray()
                .Where(l => l.ValueKind == JsonValueKind.Object)
                .Select(l => new RestoreLogEntry(Text(l, "code"), Text(l, "level"), Text(l, "message")))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    });

    private static string Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private sealed record RestoreLogEntry(string Code, string Level, string Message);

    [GeneratedRegex("^Msbuild failed when processing the file '(?<path>[^']+)' with message: (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex MSBuildMessage();
}
