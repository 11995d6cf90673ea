using Microsoft.Extensions.Logging;
using OCI.Workspace.SolutionState;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Compilation;

/// <summary>
/// Builds the baseline's compilations after load so the first check is already warm; a project found without errors is
/// recorded as such (<see cref="BuiltProjects.RecordCompiledCleanAsync"/>), so the first check of a change to its bodies
/// compiles only the changed files.
/// </summary>
internal static class CompilationWarmUp
{
    public static async Task RunAsync(BaselineSolution baseline, BuiltProjects built, ILogger logger, CancellationToken cancellationToken)
    {
        // The baseline with the overlays the editor set meanwhile: the compilations its checks use.
        foreach (var project in baseline.Solution.Projects)
        {
            try
            {
                var diagnostics = await baseline.GetDiagnosticsAsync(project.Id, cancellationToken).ConfigureAwait(false);
                if (!diagnostics.Any(d => d.Severity == DiagnosticSeverityLevel.Error)) await built.RecordCompiledCleanAsync(project, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the host is closing
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Warm-up of {Project} failed", project.Name);
            }
        }
    }
}
