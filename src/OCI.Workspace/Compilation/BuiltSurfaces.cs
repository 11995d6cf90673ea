using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace OCI.Workspace.Compilation;

/// <summary>
/// The compiled surface (metadata without method bodies: every declaration, signature, constant and attribute) of each
/// project as the shadow copy's outputs were last built. When a candidate leaves the surface of the projects it
/// changes as it was built, the projects that depend on them compile to the same result as then (which built without
/// errors): they need neither a new compile in memory nor a new emit; only the changed projects are compiled.
/// </summary>
internal sealed class BuiltSurfaces
{
    private readonly ConcurrentDictionary<string, string> _byProject = new(StringComparer.Ordinal);

    /// <summary>A hash of the project's metadata-only image; null when it has errors or is not deterministic.</summary>
    public static async Task<string?> ComputeAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null || !compilation.Options.Deterministic) return null;
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, options: new EmitOptions(metadataOnly: true), cancellationToken: cancellationToken);
        return result.Success ? Convert.ToHexString(SHA256.HashData(stream.ToArray())) : null;
    }

    public string? Get(Project project) => project.FilePath is { } path && _byProject.TryGetValue(path, out var surface) ? surface : null;

    public void Set(Project project, string? surface)
    {
        if (project.FilePath is not { } path) return;
        if (surface is null) _byProject.TryRemove(path, out _);
        else _byProject[path] = surface;
    }

    public void Clear() => _byProject.Clear();

    /// <summary>Records the surfaces of the projects others depend on, after MSBuild built <paramref name="solution"/>'s state.</summary>
    public async Task RecordBuiltAsync(Solution solution, IEnumerable<ProjectId> built, CancellationToken cancellationToken)
    {
        var graph = solution.GetProjectDependencyGraph();
        foreach (var id in built)
        {
            if (solution.GetProject(id) is not { } project || !graph.GetProjectsThatDirectlyDependOnThisProject(id).Any()) continue;
            Set(project, await ComputeAsync(project, cancellationToken).ConfigureAwait(false));
        }
    }
}
