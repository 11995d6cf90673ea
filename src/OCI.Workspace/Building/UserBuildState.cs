using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Workspace.Building;

/// <summary>
/// The sources the user's own build outputs were compiled from, as a solution state, proven by each output's portable
/// PDB (<see cref="PdbSourceChecksums"/>): the text of every file is the one whose checksum the PDB records, read from
/// disk or, for a file changed since the build (the broken file a user opens the repository with), from git's
/// <c>HEAD</c> when that text has the checksum. Why: that state compiled without errors (the build wrote its output),
/// and the outputs are its build, so a check whose candidate compiles to it, or changes only bodies of it, needs no
/// whole-project compile, and a project it leaves as built needs no emit. File times cannot say which text was built:
/// a file saved after the build with the text it was built from is newer, and a file changed back is the same.
/// </summary>
internal static class UserBuildState
{
    /// <summary>Reads a file's committed bytes (git <c>HEAD</c>, as checked out); null when there are none.</summary>
    public delegate Task<byte[]?> CommittedBytes(string path, CancellationToken cancellationToken);

    /// <summary>git's <c>HEAD</c>, as checked out (<see cref="KnownFailures.CommittedHead.CheckedOutBytesAsync"/>).</summary>
    public static readonly CommittedBytes FromHead = (path, cancellationToken) =>
        KnownFailures.CommittedHead.CheckedOutBytesAsync(path, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>
    /// The state every project of <paramref name="closure"/> was built from, when each has its user-built output newer
    /// than its project file and its restore output; every source file its PDB has a checksum for has that text on disk
    /// or in <paramref name="committed"/>; a file the PDB has no entry for (no method bodies) is older than the build;
    /// the PDB names no C# file the project no longer has; and the copies of its assembly in its dependants' output
    /// folders are that build, byte for byte (else a dependant's copy from an older build would be taken as current and
    /// its tests would run old code). <paramref name="edited"/>: files whose text in <paramref name="solution"/> may not be
    /// the disk's (the editor's buffers, a candidate's changes): read from disk for that state. Null, with the reason,
    /// otherwise.
    /// </summary>
    public static async Task<(Solution? State, string? WhyNot)> ReadAsync(
        Solution solution, IReadOnlySet<ProjectId> closure, IEnumerable<string> edited, string userRoot, CommittedBytes? committed, CancellationToken cancellationToken)
    {
        var editedPaths = edited.ToHashSet(StringComparer.Ordinal);
        var state = solution;
        foreach (var id in closure)
        {
            if (state.GetProject(id) is not { OutputFilePath: { } output, FilePath: { } projectFile } project || !File.Exists(output)) return (null, "a project has no output");
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
                byte[]? builtBytes;
                if (checksums.TryGetValue(path, out var checksum))
                {
                    var onDisk = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                    if (checksum.Matches(onDisk))
                    {
                        builtBytes = editedPaths.Contains(path) ? onDisk : null;
                    }
                    else if (committed is not null && await committed(path, cancellationToken).ConfigureAwait(false) is { } head && checksum.Matches(head))
                    {
                        builtBytes = head; // changed since the build, which compiled the committed text
                    }
                    else
                    {
                        return (null, $"{path} changed since {project.Name} was built");
                    }
                }
                else if (File.GetLastWriteTimeUtc(path) > built)
                {
                    // A file without code (declarations only, or all of it under #if) has no PDB entry: its time must do.
                    return (null, $"{path} has no checksum in {project.Name}'s PDB and is newer than the build");
                }
                else
                {
                    builtBytes = editedPaths.Contains(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
                }
                if (builtBytes is null) continue;
                using var stream = new MemoryStream(builtBytes, writable: false);
                state = state.WithDocumentText(document.Id, SourceText.From(stream, checksumAlgorithm: SourceHashAlgorithm.Sha256));
            }
            // A C# file the output was compiled from that the project no longer has (deleted, excluded since).
            if (checksums.Keys.FirstOrDefault(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && !compiled.Contains(p)) is { } gone) return (null, $"{project.Name} was built from {gone}, which it no longer has");
            var bytes = await File.ReadAllBytesAsync(output, cancellationToken).ConfigureAwait(false);
            foreach (var dependant in state.GetProjectDependencyGraph().GetProjectsThatTransitivelyDependOnThisProject(id).Where(closure.Contains))
            {
                if (state.GetProject(dependant)?.OutputFilePath is not { } dependantOutput) continue;
                var copy = Path.Combine(Path.GetDirectoryName(dependantOutput)!, Path.GetFileName(output));
                if (!File.Exists(copy)) continue;
                var copied = await File.ReadAllBytesAsync(copy, cancellationToken).ConfigureAwait(false);
                if (!bytes.AsSpan().SequenceEqual(copied))
                {
                    return (null, $"the copy of {Path.GetFileName(output)} beside {Path.GetFileName(dependantOutput)} is not {project.Name}'s latest build");
                }
            }
        }
        return (state, null);
    }

    /// <summary>
    /// Files the build writes under obj/ from the project's configuration (assembly attributes, global usings): a
    /// design-time build, the workspace's load among them, writes them again.
    /// </summary>
    internal static bool UnderObj(string path, string projectFile) =>
        Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, path).Split(Path.DirectorySeparatorChar).Contains("obj", StringComparer.Ordinal);
}
