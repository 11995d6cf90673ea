using Microsoft.Extensions.Logging;
using OCI.Workspace.Building;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Loading;

/// <summary>The restore a load needs when the user's projects were never restored.</summary>
internal static class RestoreOnLoad
{
    /// <summary>
    /// Restores when a project has no obj/project.assets.json: without it the design-time build cannot resolve package
    /// references and every type from a package would be an error. This writes obj/ in the user's tree — what any
    /// IDE's automatic restore or a first <c>dotnet build</c> does — and runs only the user's own project files, never
    /// generated code. Bounded by the build timeout; a failure becomes a load problem, not an exception.
    /// </summary>
    public static async Task RestoreIfNeededAsync(
        string root, WorkspaceEntryPoints entry, VerificationSettings settings, IProgress<string>? progress,
        List<string> problems, ILogger logger, CancellationToken cancellationToken)
    {
        // A solution says what the workspace is: other projects in the tree (samples, tools, upstream leftovers) are not
        // the user's to restore here.
        var projects = entry.SolutionPath is not null ? SolutionProjects.Read(entry.SolutionPath) : WorkspaceDiscovery.FindProjects(root);
        var missing = projects.Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))).ToList();
        if (missing.Count == 0) return;
        progress?.Report($"restoring packages ({missing.Count} project(s) not restored)…");
        var target = entry.SolutionPath ?? (entry.ProjectPaths.Count == 1 ? entry.ProjectPaths[0] : null);
        var targets = target is not null ? [target] : missing;
        foreach (var item in targets)
        {
            var result = await ProcessRunner.RunAsync(
                "dotnet", DotnetCommandLine.Restore(item),
                root, TimeSpan.FromSeconds(settings.BuildTimeoutSeconds), cancellationToken).ConfigureAwait(false);
            if (result.Succeeded) continue;
            if (result.TimedOut)
            {
                problems.Add($"error: restore of {item} timed out after {settings.BuildTimeoutSeconds} s");
                continue;
            }
            foreach (var diagnostic in BuildOutputParser.Parse(result.StandardOutput + "\n" + result.StandardError).Where(d => d.Severity == DiagnosticSeverityLevel.Error))
            {
                problems.Add($"error: restore failed: {diagnostic.Path}{(diagnostic.Line > 0 ? $"({diagnostic.Line},{diagnostic.Column})" : "")}: {diagnostic.Id}: {diagnostic.Message}");
            }
            logger.LogWarning("Restore of {Item} failed with exit code {Code}", item, result.ExitCode);
        }
        // A solution restore stops at a broken project; restore the solution's good ones that are still missing on their own.
        if (target is not null && targets.Count == 1 && entry.SolutionPath is not null)
        {
            foreach (var project in missing.Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))))
            {
                var result = await ProcessRunner.RunAsync(
                    "dotnet", DotnetCommandLine.Restore(project),
                    root, TimeSpan.FromSeconds(settings.BuildTimeoutSeconds), cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded) problems.Add($"error: restore needed: {project} could not be restored (see the error above); its package references will not resolve");
            }
        }
    }
}
