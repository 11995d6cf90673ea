using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using OCI.Workspace.Shadow;

namespace OCI.Workspace.Building;

/// <summary>
/// The fast build of a refine round: emits the projects whose outputs must change from the warm Roslyn
/// compilations straight into the shadow copy's output folders, and refreshes the copies of those assemblies that
/// dependent projects keep in their own bin folders. It skips MSBuild entirely (seconds) and costs tens of
/// milliseconds. It is only used when a full MSBuild build of the shadow has succeeded before, no project file changed,
/// and no affected project embeds resources (which the compiler alone cannot produce); a candidate whose tests pass
/// this way is confirmed by a real build before it counts as passed.
/// </summary>
public static class InMemoryEmitter
{
    public static bool CanEmit(Project project, string userRoot) =>
        project.Language == LanguageNames.CSharp
        && project.OutputFilePath is { } output && ShadowWorkspace.IsInside(output, userRoot)
        && project.FilePath is { } file && File.Exists(file)
        && !File.ReadAllText(file).Contains("Resource", StringComparison.OrdinalIgnoreCase)
        && !Directory.EnumerateFiles(Path.GetDirectoryName(file)!, "*.resx", SearchOption.AllDirectories).Any();

    /// <summary>
    /// Emits <paramref name="projects"/> (in dependency order) and refreshes the copies of their assemblies in the output
    /// folders of <paramref name="copyTo"/> (the projects whose outputs hold them: dependants that are not emitted again
    /// still load the new assembly); null on success, else why it could not.
    /// </summary>
    /// <param name="concurrent">
    /// Emit on every core: someone waits for this check (the background gives way meanwhile). The warm compilations are
    /// single-threaded for the editor's sake (<c>OverlaidSolution</c>); a copy with the option on costs little next to
    /// the emit itself, which binds every method body again whatever the compilation has bound already.
    /// </param>
    public static async Task<string?> EmitAsync(
        Solution solution, IReadOnlyList<ProjectId> projects, IEnumerable<ProjectId> copyTo, ShadowWorkspace shadow, bool concurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(copyTo);
        ArgumentNullException.ThrowIfNull(shadow);
        var outputFolders = projects.Concat(copyTo)
            .Select(solution.GetProject)
            .Select(p => p?.OutputFilePath is { } o ? Path.GetDirectoryName(shadow.ToShadowPath(o))! : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var id in projects)
        {
            var project = solution.GetProject(id)!;
            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is null) return $"{project.Name} has no compilation";
            if (concurrent && !compilation.Options.ConcurrentBuild) compilation = compilation.WithOptions(compilation.Options.WithConcurrentBuild(true));
            using var peStream = new MemoryStream();
            using var pdbStream = new MemoryStream();
            var result = compilation.Emit(peStream, pdbStream,
                options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb), cancellationToken: cancellationToken);
            if (!result.Success)
            {
                return $"{project.Name} did not emit: " + string.Join("; ", result.Diagnostics
                    .Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).Select(d => d.ToString()));
            }
            var target = shadow.ToShadowPath(project.OutputFilePath!);
            var fileName = Path.GetFileName(target);
            var pdbName = Path.ChangeExtension(fileName, ".pdb");
            foreach (var folder in outputFolders)
            {
                var dll = Path.Combine(folder, fileName);
                if (!string.Equals(dll, target, StringComparison.Ordinal) && !File.Exists(dll)) continue;
                await ReplaceAsync(dll, peStream, cancellationToken).ConfigureAwait(false);
                await ReplaceAsync(Path.Combine(folder, pdbName), pdbStream, cancellationToken).ConfigureAwait(false);
            }
        }
        return null;
    }

    /// <summary>
    /// Writes a new file and renames it over <paramref name="path"/>: a test host that still has the old assembly
    /// mapped (a round settling, a warm-up) keeps reading the old bytes, where rewriting the file in place would
    /// change them under it (or cut them short: a crash).
    /// </summary>
    private static async Task ReplaceAsync(string path, MemoryStream bytes, CancellationToken cancellationToken)
    {
        var temporary = path + ".oci-new";
        await File.WriteAllBytesAsync(temporary, bytes.ToArray(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
