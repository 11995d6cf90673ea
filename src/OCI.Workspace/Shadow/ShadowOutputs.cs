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
    /// Whether the shadow's output of <paramref name="project"/> (<paramref name="outputs"/>: its assembly first, then the
    /// copies its dependants keep) is a build of exactly the sources <paramref name="project"/> holds: the assembly is
    /// whole and its PDB is its own (their ids agree), every C# file of the project (but the build's own under obj/) has
    /// a checksum in that PDB that is the hash of the recorded text (the shadow's file may hold a newer candidate by
    /// now), the PDB names no C# file the project does not have, and every copy is the assembly byte for byte. Why: a
    /// confirmation interrupted while MSBuild rewrote the outputs leaves files that no record's stamps describe, though
    /// MSBuild compiled the same sources (the typo fixed back to the saved text).
    /// </summary>
    public static async Task<string?> WhyNotStillBuiltAsync(Project project, IReadOnlyList<string> outputs, ShadowWorkspace shadow, CancellationToken cancellationToken)
    {
        try
        {
            if (outputs.Count == 0 || project.FilePath is not { } projectFile || !File.Exists(outputs[0])) return "no output";
            var output = outputs[0];
            if (!PdbSourceChecksums.IsOwnPdb(output)) return $"{output} is not whole or its PDB is not its own";
            if (PdbSourceChecksums.Read(output, shadow.Root) is not { } checksums) return "no portable PDB";
            var compiled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in project.Documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (document.FilePath is not { } path) return $"{document.Name} has no path";
                var copy = shadow.ToShadowPath(path);
                compiled.Add(copy);
                // Written by the build from the project's configuration, which the record's comparison checks.
                if (UserBuildState.UnderObj(path, projectFile)) continue;
                // The shadow's file may hold a newer candidate by now: the recorded text itself must have the checksum.
                if (!checksums.TryGetValue(copy, out var checksum)) return $"{copy} has no checksum in the PDB";
                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                if (!EncodingsOf(text).Any(checksum.Matches)) return $"{copy} was not built from the recorded text";
            }
            if (checksums.Keys.FirstOrDefault(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && !compiled.Contains(p)) is { } gone) return $"it was built from {gone}, which the project does not have";
            var assembly = await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false);
            foreach (var copy in outputs.Skip(1))
            {
                if (!File.Exists(copy)) return $"{copy} is missing";
                var copied = await File.ReadAllBytesAsync(copy, cancellationToken).ConfigureAwait(false);
                if (!assembly.AsSpan().SequenceEqual(copied)) return $"{copy} is not {output}";
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or ArgumentException)
        {
            return e.Message; // being written, unreadable, or a source outside the copy: emitted again
        }

        // The bytes a text is written as: UTF-8 with and without its byte order mark, and its own encoding.
        static IEnumerable<byte[]> EncodingsOf(Microsoft.CodeAnalysis.Text.SourceText text)
        {
            var value = text.ToString();
            var utf8 = System.Text.Encoding.UTF8.GetBytes(value);
            yield return utf8;
            yield return [.. System.Text.Encoding.UTF8.Preamble, .. utf8];
            if (text.Encoding is { } own && own.WebName != "utf-8") yield return [.. own.Preamble, .. own.GetBytes(value)];
        }
    }

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
