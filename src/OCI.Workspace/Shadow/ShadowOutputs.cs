using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Building;
using OCI.Workspace.KnownFailures;
using OCI.Workspace.Files;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>The shadow copy's build outputs: seeded from the user's, and where each project's assembly is copied.</summary>
internal static class ShadowOutputs
{
    /// <summary>
    /// Copies the output folder the user built of every project in <paramref name="closure"/> (assemblies of its packages,
    /// deps.json, runtimeconfig.json, runner settings) into the shadow copy, so that the fast round can run before MSBuild
    /// ever built the copy. Only when every test project's output is newer than its MSBuild inputs
    /// (<see cref="BuiltTestAssemblies"/>: built as the projects are configured now) and every project of the closure has
    /// its output; the assemblies of the closure's own projects are emitted again from Roslyn's compilations before any
    /// test runs (<see cref="BuiltProjects"/> holds no record of them). False when it cannot seed.
    /// </summary>
    public static bool SeedFromUser(Solution solution, IReadOnlySet<ProjectId> closure, ShadowWorkspace shadow, string userRoot, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            if (BuiltTestAssemblies.Find(solution, userRoot) is null) return false;
            var folders = new List<string>();
            foreach (var id in closure)
            {
                if (solution.GetProject(id)?.OutputFilePath is not { } output || !ShadowWorkspace.IsInside(output, userRoot) || !File.Exists(output)) return false;
                folders.Add(Path.GetDirectoryName(output)!);
            }
            var watch = Stopwatch.StartNew();
            foreach (var folder in folders.Distinct(StringComparer.Ordinal)) CopyFolder(folder, shadow.ToShadowPath(folder), cancellationToken);
            logger.LogInformation("Shadow copy seeded from your build outputs ({Folders} folders, {ElapsedMs} ms): the first check runs on the in-memory build", folders.Count, watch.ElapsedMilliseconds);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogInformation(e, "The shadow copy could not be seeded from your build outputs; MSBuild builds it");
            return false;
        }
    }

    /// <summary>
    /// The state the seeded outputs were built from, when that is the sources on disk: every project of
    /// <paramref name="closure"/> has its user-built output newer than its project file and its restore output, and the
    /// source checksums its portable PDB holds are those of the files on disk, each of them and no other (file times
    /// cannot say it: a file saved after the build with the text it was built from is newer, and a file changed back is
    /// the same); a file the PDB has no entry for (no method bodies) must be older than the build; and the copies of its
    /// assembly in its dependants' output folders are that build, byte for byte. The editor's buffers and the candidate's changes (<paramref name="edited"/>) are read from disk for
    /// that state. Null otherwise. Recorded as built (<see cref="BuiltProjects"/>), it spares the first check the emit
    /// of every project the check leaves as on disk: on real code the whole test project, seconds cold.
    /// </summary>
    public static async Task<(Solution? State, string? WhyNot)> StateOnDiskAsync(
        Solution solution, IReadOnlySet<ProjectId> closure, IEnumerable<string> edited, string userRoot, CancellationToken cancellationToken)
    {
        var editedPaths = edited.ToHashSet(StringComparer.Ordinal);
        var disk = solution;
        foreach (var id in closure)
        {
            if (disk.GetProject(id) is not { OutputFilePath: { } output, FilePath: { } projectFile } project || !File.Exists(output)) return (null, "a project has no output");
            var built = File.GetLastWriteTimeUtc(output);
            var inputs = new[] { projectFile, Path.Combine(Path.GetDirectoryName(projectFile)!, "obj", "project.assets.json") };
            if (inputs.Any(i => File.Exists(i) && File.GetLastWriteTimeUtc(i) > built)) return (null, $"{project.Name}'s project file or restore output is newer than its output");
            if (PdbSourceChecksums.Read(output, userRoot) is not { } checksums) return (null, $"{project.Name} has no portable PDB with this machine's source paths");
            var compiled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in project.Documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (document.FilePath is not { } path || !File.Exists(path)) return (null, $"{document.FilePath ?? document.Name} is not on disk");
                compiled.Add(path);
                // Written by the build from the configuration (checked above), again by each design-time build, at
                // times with other values (a commit id): not the user's code.
                if (UnderObj(path, projectFile)) continue;
                if (checksums.TryGetValue(path, out var checksum))
                {
                    if (!checksum.Matches(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false))) return (null, $"{path} changed since {project.Name} was built");
                }
                else if (File.GetLastWriteTimeUtc(path) > built)
                {
                    // A file without code (declarations only, or all of it under #if) has no PDB entry: its time must do.
                    return (null, $"{path} has no checksum in {project.Name}'s PDB and is newer than the build");
                }
                if (!editedPaths.Contains(path)) continue;
                await using var stream = File.OpenRead(path);
                disk = disk.WithDocumentText(document.Id, Microsoft.CodeAnalysis.Text.SourceText.From(stream, checksumAlgorithm: Microsoft.CodeAnalysis.Text.SourceHashAlgorithm.Sha256));
            }
            // A C# file the output was compiled from that the project no longer has (deleted, excluded since).
            if (checksums.Keys.FirstOrDefault(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && !compiled.Contains(p)) is { } gone) return (null, $"{project.Name} was built from {gone}, which it no longer has");
            // The record covers every copy of the assembly: a dependant's copy from an older build (only this project
            // was built since) would be taken as current, and its tests would run the old code.
            var bytes = await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false);
            foreach (var dependant in disk.GetProjectDependencyGraph().GetProjectsThatTransitivelyDependOnThisProject(id).Where(closure.Contains))
            {
                if (disk.GetProject(dependant)?.OutputFilePath is not { } dependantOutput) continue;
                var copy = Path.Combine(Path.GetDirectoryName(dependantOutput)!, Path.GetFileName(output));
                if (!File.Exists(copy)) continue;
                var copied = await File.ReadAllBytesAsync(copy, cancellationToken).ConfigureAwait(false);
                if (!bytes.AsSpan().SequenceEqual(copied))
                {
                    return (null, $"the copy of {Path.GetFileName(output)} beside {Path.GetFileName(dependantOutput)} is not {project.Name}'s latest build");
                }
            }
        }
        return (disk, null);
    }

    /// <summary>
    /// Files the build writes under obj/ from the project's configuration (assembly attributes, global usings): a
    /// design-time build, the workspace's load among them, writes them again.
    /// </summary>
    private static bool UnderObj(string path, string projectFile) =>
        Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, path).Split(Path.DirectorySeparatorChar).Contains("obj", StringComparer.Ordinal);

    /// <summary>Where the shadow holds <paramref name="project"/>'s assembly: its own output and the copies in the output folders of the projects that depend on it.</summary>
    public static IEnumerable<string> Copies(Solution solution, Project project, ShadowWorkspace shadow)
    {
        if (project.OutputFilePath is not { } output) return [];
        var name = Path.GetFileName(output);
        return solution.GetProjectDependencyGraph().GetProjectsThatTransitivelyDependOnThisProject(project.Id)
            .Select(solution.GetProject)
            .Select(p => p?.OutputFilePath)
            .OfType<string>()
            .Select(o => shadow.ToShadowPath(Path.Combine(Path.GetDirectoryName(o)!, name)))
            .Where(File.Exists)
            .Prepend(shadow.ToShadowPath(output))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Copies every file under <paramref name="source"/> to <paramref name="target"/>, overwriting.</summary>
    public static void CopyFolder(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        foreach (var file in WorkspaceTree.Files(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    /// <summary>
    /// Copies the output folder of each test assembly the user built into the shadow container (<c>built/</c>, beside the
    /// copy of the tree), to be run there, never in the user's tree; returns the copies' assembly paths.
    /// </summary>
    public static IReadOnlyList<string> CopyBuiltTests(IReadOnlyList<string> userAssemblies, ShadowWorkspace shadow, string userRoot, CancellationToken cancellationToken)
    {
        var builtRoot = Path.Combine(shadow.Container, "built");
        var copies = new List<string>();
        foreach (var assembly in userAssemblies)
        {
            var folder = Path.GetDirectoryName(assembly)!;
            var target = Path.Combine(builtRoot, Path.GetRelativePath(userRoot, folder));
            if (!ShadowWorkspace.IsInside(target, builtRoot)) throw new ArgumentException($"{assembly} is outside the workspace.", nameof(userAssemblies));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            CopyFolder(folder, target, cancellationToken);
            copies.Add(Path.Combine(target, Path.GetFileName(assembly)));
        }
        return copies;
    }
}
