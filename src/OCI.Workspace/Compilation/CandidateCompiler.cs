using Microsoft.CodeAnalysis;
using System.Diagnostics;
using OCI.Workspace.SolutionState;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Compilation;

/// <summary>
/// The in-memory stage of a check: compiles a candidate's fork and the projects that depend on it with Roslyn and
/// reports the diagnostics it introduces (errors the baseline already had are marked as not new). When the changed files'
/// own errors were counted (<see cref="VerificationRequest.AllErrorsInChangedFiles"/>), a project that compiles to a state
/// built before without errors (<see cref="BuiltProjects"/>: the same sources, or only bodies changed, in files that
/// have no errors on their own) is not compiled again: on real code that is the whole dependent test project.
/// </summary>
internal static class CandidateCompiler
{
    public static async Task<VerificationResult> CompileAsync(
        BaselineSolution baseline, CandidateSolution candidate, VerificationRequest request, BuiltProjects? built, CancellationToken cancellationToken,
        ICollection<ProjectId>? compiledProjects = null)
    {
        var stopwatch = Stopwatch.StartNew();
        if (request.AllErrorsInChangedFiles || request.TargetDiagnostic is not null)
        {
            var inChangedFiles = await ChangedFileErrors.FindAsync(candidate.Solution, candidate.ChangedDocuments, request.TargetDiagnostic, cancellationToken).ConfigureAwait(false);
            if (inChangedFiles.Count > 0)
            {
                return new VerificationResult(VerificationStatus.CompileErrors, inChangedFiles, [], CompileTime: stopwatch.Elapsed);
            }
        }

        var forked = candidate.Solution;
        // An editor check that no test reaches is offered on its compile and confirmed by the real build: its dependants
        // (on real code, the whole test project, seconds cold) are compiled there, not before the offer. When the fast
        // round runs tests after all, its in-memory emit compiles them.
        var affected = request.ConfirmLater && request.TestFilter is null
            ? (IReadOnlySet<ProjectId>)candidate.ChangedProjects.ToHashSet()
            : TestProjectDiscovery.Affected(forked, candidate.ChangedProjects);
        var order = forked.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(affected.Contains).ToList();
        if (built is not null && (request.AllErrorsInChangedFiles || request.TargetDiagnostic is not null))
        {
            var checkedDocuments = candidate.ChangedDocuments.ToHashSet();
            var comparison = await built.CompareWithCleanStatesAsync(forked, BuiltProjects.WithDependencies(forked, affected), checkedDocuments, cancellationToken).ConfigureAwait(false);
            // Compiles as built: the same sources, or bodies changed only in files without errors. The files whose errors
            // were just counted have none; other files whose bodies differ from the built state (the user's own edits
            // since, an earlier fix in another file) are checked here the same way, a file at a time: with the
            // declarations as built, errors can only be in the bodies that differ. Only when one of them has errors does
            // the whole project compile, so that those errors are told apart from the ones the user already had.
            var compileAgain = new List<ProjectId>();
            foreach (var id in order)
            {
                if (comparison[id] is not { Difference: BuiltDifference.Same or BuiltDifference.BodiesOnly } c)
                {
                    compileAgain.Add(id);
                    continue;
                }
                var notChecked = c.DifferingDocuments.Where(d => !checkedDocuments.Contains(d)).ToList();
                if (notChecked.Count > 0 && (await ChangedFileErrors.FindAsync(forked, notChecked, null, cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                    compileAgain.Add(id);
                }
            }
            order = compileAgain;
        }

        foreach (var id in order) compiledProjects?.Add(id);
        var perProject = await Task.WhenAll(order.Select(async id =>
        {
            var before = baseline.Solution.GetProject(id) is null
                ? []
                : await baseline.GetDiagnosticsAsync(id, cancellationToken).ConfigureAwait(false);
            var compilation = await forked.GetProject(id)!.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            var after = compilation is null ? [] : RoslynDiagnostics.Convert(compilation.GetDiagnostics(cancellationToken));
            return DiagnosticBaseline.MarkNew(before, after, p => p is not null && candidate.LineMaps.TryGetValue(p, out var map) ? map : LineMap.Identity);
        })).ConfigureAwait(false);

        // Multi-targeted projects report the same diagnostic once per framework: keep one.
        var diagnostics = perProject.SelectMany(d => d)
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error || d.IsNew)
            .Distinct()
            .OrderByDescending(d => d.IsNew)
            .ThenByDescending(d => d.Severity)
            .ThenBy(d => d.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
        stopwatch.Stop();
        var newErrors = diagnostics.Count(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error);
        var message = candidate.NotInProject.Count > 0 ? $"not part of any loaded project (not compiled): {string.Join(", ", candidate.NotInProject)}" : null;
        return new VerificationResult(
            newErrors > 0 ? VerificationStatus.CompileErrors : VerificationStatus.Passed,
            diagnostics, [], message, CompileTime: stopwatch.Elapsed);
    }
}
