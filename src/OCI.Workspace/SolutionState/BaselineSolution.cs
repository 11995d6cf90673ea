using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using OCI.Workspace.Compilation;
using OCI.Workspace.Verification;

namespace OCI.Workspace.SolutionState;

/// <summary>
/// One immutable state of the user's solution (disk plus overlays) and its diagnostics, computed once per project and
/// shared by every check made against that state: a candidate's new errors are those this baseline does not have.
/// </summary>
internal sealed class BaselineSolution(Solution solution)
{
    private readonly ConcurrentDictionary<ProjectId, Lazy<Task<IReadOnlyList<CompilerDiagnostic>>>> _diagnostics = new();

    public Solution Solution { get; } = solution;

    public Task<IReadOnlyList<CompilerDiagnostic>> GetDiagnosticsAsync(ProjectId id, CancellationToken cancellationToken)
    {
        // Not cancelled by the first caller's token: the result is shared and stays useful.
        var lazy = _diagnostics.GetOrAdd(id, key => new Lazy<Task<IReadOnlyList<CompilerDiagnostic>>>(() => ComputeAsync(key)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<CompilerDiagnostic>> ComputeAsync(ProjectId id)
    {
        var project = Solution.GetProject(id);
        if (project is null) return [];
        var compilation = await project.GetCompilationAsync(CancellationToken.None).ConfigureAwait(false);
        return compilation is null ? [] : RoslynDiagnostics.Convert(compilation.GetDiagnostics());
    }
}
