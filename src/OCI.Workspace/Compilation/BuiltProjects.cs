using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace OCI.Workspace.Compilation;

/// <summary>How a project of a candidate compares with the state the shadow copy's output of it was built from.</summary>
internal enum BuiltDifference
{
    /// <summary>The same sources, options and references, and every project it references compiles to the same surface: it compiles to what was built.</summary>
    Same,
    /// <summary>Only method bodies and ordinary initializers differ (<see cref="TopLevelEquivalence"/>): its dependants still compile to what was built.</summary>
    BodiesOnly,
    /// <summary>Its declarations differ, or a project it references changed its declarations, or nothing is known: compile and emit it.</summary>
    Changed,
}

/// <summary>One project's comparison, with the documents that differ from the built state when only bodies differ.</summary>
internal sealed record BuiltComparison(BuiltDifference Difference, IReadOnlyList<DocumentId> DifferingDocuments);

/// <summary>
/// The project states the shadow copy's outputs were last built from, each without errors (MSBuild succeeded, or the
/// in-memory emit did), with the size and write time of those output files. A candidate's project that is
/// <see cref="BuiltDifference.Same"/> needs neither a compile check nor an emit; one whose changes are
/// <see cref="BuiltDifference.BodiesOnly"/> needs only its differing documents checked and itself emitted, and its
/// dependants' outputs stay valid. A record proves for good that its state compiled without errors (the compile check
/// uses it so); it stands for the shadow's outputs only while those files are as recorded (a build that was interrupted
/// or failed may have rewritten them: the emit decision checks). Records are immutable Roslyn project snapshots, swapped atomically.
/// The compile check also keeps the few states recorded before the outputs' one (<see cref="History"/>): background
/// checks build whatever candidate they try (a fix-it that writes stubs), and the user's next check usually resembles
/// an earlier state more than that one.
/// </summary>
internal sealed class BuiltProjects
{
    /// <summary>How many states per project the compile check compares with (each keeps its solution snapshot alive).</summary>
    internal const int History = 4;

    private ImmutableDictionary<ProjectId, (Project Project, IReadOnlyList<OutputStamp> Outputs)> _built =
        ImmutableDictionary<ProjectId, (Project, IReadOnlyList<OutputStamp>)>.Empty;

    /// <summary>Per project, the states it compiled to without errors, the latest first.</summary>
    private ImmutableDictionary<ProjectId, ImmutableList<Project>> _compiledClean = ImmutableDictionary<ProjectId, ImmutableList<Project>>.Empty;

    /// <summary>One output file as it was when recorded.</summary>
    internal readonly record struct OutputStamp(string Path, long Length, DateTime WriteTimeUtc)
    {
        public static OutputStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new OutputStamp(path, info.Length, info.LastWriteTimeUtc) : new OutputStamp(path, -1, default);
        }

        public bool Unchanged => Of(Path) == this;
    }

    /// <summary>
    /// These projects' outputs were just built from <paramref name="projects"/> without errors; <paramref name="outputsOf"/>
    /// lists the files that hold each one's output (its assembly and the copies dependants keep).
    /// </summary>
    public async Task RecordAsync(IEnumerable<Project> projects, Func<Project, IEnumerable<string>> outputsOf, CancellationToken cancellationToken)
    {
        foreach (var project in projects)
        {
            (Project, IReadOnlyList<OutputStamp>) entry = (project, [.. outputsOf(project).Select(OutputStamp.Of)]);
            ImmutableInterlocked.AddOrUpdate(ref _built, project.Id, entry, (_, _) => entry);

            // The same sources against the same references recorded again (the emit, then MSBuild's confirmation of it;
            // the same candidate checked twice) move to the front instead of pushing other states out.
            var states = _compiledClean.GetValueOrDefault(project.Id, []);
            var others = new List<Project>();
            foreach (var state in states)
            {
                if (!await IsSameStateAsync(state, project, cancellationToken).ConfigureAwait(false))
                {
                    others.Add(state);
                }
            }
            ImmutableList<Project> kept = [project, .. others.Take(History - 1)];
            ImmutableInterlocked.AddOrUpdate(ref _compiledClean, project.Id, kept, (_, _) => kept);
        }
    }

    /// <summary>
    /// <paramref name="project"/> compiled without errors (the warm-up after load found none): a candidate that changes only
    /// its bodies needs only its changed documents checked. Says nothing about the shadow copy's outputs.
    /// </summary>
    public async Task RecordCompiledCleanAsync(Project project, CancellationToken cancellationToken)
    {
        var states = _compiledClean.GetValueOrDefault(project.Id, []);
        foreach (var state in states)
        {
            if (await IsSameStateAsync(state, project, cancellationToken).ConfigureAwait(false))
            {
                return; // known already
            }
        }
        ImmutableList<Project> kept = [.. states.Take(History - 1), project]; // behind the states the outputs were built from
        ImmutableInterlocked.AddOrUpdate(ref _compiledClean, project.Id, kept, (_, _) => kept);
    }

    /// <summary>
    /// Records whose output files changed since they were taken (a confirmation's MSBuild build, interrupted by a newer
    /// check while it rewrote them) stand again when <paramref name="stillBuilt"/> finds the files to be a build of the
    /// recorded sources once more: their stamps are taken anew. Without it, the next check emits every project again
    /// (seconds on a real test project) though the build that was interrupted compiled the very same sources.
    /// </summary>
    public async Task ReconfirmAsync(Func<Project, IReadOnlyList<string>, CancellationToken, Task<bool>> stillBuilt, CancellationToken cancellationToken)
    {
        foreach (var (id, entry) in _built)
        {
            if (entry.Outputs.All(o => o.Unchanged)) continue;
            var paths = entry.Outputs.Select(o => o.Path).ToList();
            if (!await stillBuilt(entry.Project, paths, cancellationToken).ConfigureAwait(false)) continue;
            (Project, IReadOnlyList<OutputStamp>) renewed = (entry.Project, [.. paths.Select(OutputStamp.Of)]);
            // Only if no newer record replaced this one meanwhile.
            ImmutableInterlocked.TryUpdate(ref _built, id, renewed, entry);
        }
    }

    /// <summary><paramref name="projects"/> and every project they depend on: what a build of them reads.</summary>
    public static IReadOnlySet<ProjectId> WithDependencies(Solution solution, IEnumerable<ProjectId> projects)
    {
        var graph = solution.GetProjectDependencyGraph();
        var closure = new HashSet<ProjectId>();
        foreach (var id in projects)
        {
            closure.Add(id);
            closure.UnionWith(graph.GetProjectsThatThisProjectTransitivelyDependsOn(id));
        }
        return closure;
    }

    /// <summary>
    /// The emit decision: compares every project of <paramref name="projects"/> (which must hold its own dependencies)
    /// in <paramref name="solution"/> with the state its outputs were built from, in dependency order. A record counts
    /// only while its output files are as recorded, and a project that references a <see cref="BuiltDifference.Changed"/>
    /// project is changed too.
    /// </summary>
    public async Task<IReadOnlyDictionary<ProjectId, BuiltComparison>> CompareWithOutputsAsync(
        Solution solution, IReadOnlySet<ProjectId> projects, CancellationToken cancellationToken)
    {
        var built = _built;
        var result = new Dictionary<ProjectId, BuiltComparison>();
        foreach (var id in solution.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(projects.Contains))
        {
            var now = solution.GetProject(id);
            var referencesChanged = now is null || now.ProjectReferences.Any(r => !result.TryGetValue(r.ProjectId, out var c) || c.Difference == BuiltDifference.Changed);
            result[id] = now is null || referencesChanged || !built.TryGetValue(id, out var was)
                || !was.Outputs.All(o => o.Unchanged)
                ? new BuiltComparison(BuiltDifference.Changed, [])
                : await CompareAsync(was.Project, now, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// The compile check: compares every project of <paramref name="projects"/> in <paramref name="solution"/> with the
    /// states it compiled to without errors (a state that compiled once still compiles), and keeps the closest: the one
    /// that leaves the fewest differing documents outside <paramref name="checkedDocuments"/>. A state counts only when
    /// the projects it references had the same surface then as now (their declarations, recursively), so it compiled
    /// against what it would compile against now.
    /// </summary>
    public async Task<IReadOnlyDictionary<ProjectId, BuiltComparison>> CompareWithCleanStatesAsync(
        Solution solution, IReadOnlySet<ProjectId> projects, IReadOnlySet<DocumentId> checkedDocuments, CancellationToken cancellationToken)
    {
        var history = _compiledClean;
        var result = new Dictionary<ProjectId, BuiltComparison>();
        int NotChecked(BuiltComparison c) => c.DifferingDocuments.Count(d => !checkedDocuments.Contains(d));
        foreach (var id in solution.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(projects.Contains))
        {
            var best = new BuiltComparison(BuiltDifference.Changed, []);
            if (solution.GetProject(id) is { } now && history.TryGetValue(id, out var states))
            {
                foreach (var was in states)
                {
                    var own = await CompareAsync(was, now, cancellationToken).ConfigureAwait(false);
                    if (own.Difference == BuiltDifference.Changed || !await ReferencesHaveTheSameSurfaceAsync(was, now, cancellationToken).ConfigureAwait(false)) continue;
                    if (best.Difference == BuiltDifference.Changed || NotChecked(own) < NotChecked(best)) best = own;
                    if (NotChecked(best) == 0) break;
                }
            }
            result[id] = best;
        }
        return result;
    }

    /// <summary>The same sources and options against references of the same surface: what compiled then compiles now.</summary>
    private static async Task<bool> IsSameStateAsync(Project was, Project now, CancellationToken cancellationToken) =>
        ReferenceEquals(was.CompilationOptions, now.CompilationOptions)
        && (await CompareAsync(was, now, cancellationToken).ConfigureAwait(false)).Difference == BuiltDifference.Same
        && await ReferencesHaveTheSameSurfaceAsync(was, now, cancellationToken).ConfigureAwait(false);

    /// <summary>Whether every project <paramref name="now"/> references declares the same as it did for <paramref name="was"/>.</summary>
    private static async Task<bool> ReferencesHaveTheSameSurfaceAsync(Project was, Project now, CancellationToken cancellationToken)
    {
        foreach (var reference in now.ProjectReferences)
        {
            var then = was.Solution.GetProject(reference.ProjectId);
            var current = now.Solution.GetProject(reference.ProjectId);
            if (then is null || current is null) return false;
            if (ReferenceEquals(then, current)) continue;
            if ((await CompareAsync(then, current, cancellationToken).ConfigureAwait(false)).Difference == BuiltDifference.Changed
                || !await ReferencesHaveTheSameSurfaceAsync(then, current, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<BuiltComparison> CompareAsync(Project was, Project now, CancellationToken cancellationToken)
    {
        var changed = new BuiltComparison(BuiltDifference.Changed, []);
        if (!ReferenceEquals(was.CompilationOptions, now.CompilationOptions) || !ReferenceEquals(was.ParseOptions, now.ParseOptions)
            || !was.MetadataReferences.SequenceEqual(now.MetadataReferences) || !was.AnalyzerReferences.SequenceEqual(now.AnalyzerReferences)
            || !was.ProjectReferences.SequenceEqual(now.ProjectReferences)
            || was.DocumentIds.Count != now.DocumentIds.Count || was.AdditionalDocumentIds.Count != now.AdditionalDocumentIds.Count)
        {
            return changed;
        }
        var differing = new List<DocumentId>();
        foreach (var document in now.Documents)
        {
            if (was.GetDocument(document.Id) is not { } before) return changed;
            if (await before.GetTextVersionAsync(cancellationToken).ConfigureAwait(false) == await document.GetTextVersionAsync(cancellationToken).ConfigureAwait(false)) continue;
            var beforeText = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var afterText = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (beforeText.ContentEquals(afterText)) continue;
            var beforeTree = await before.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            var afterTree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            if (beforeTree is null || afterTree is null || !TopLevelEquivalence.AreEquivalent(beforeTree, afterTree, cancellationToken)) return changed;
            differing.Add(document.Id);
        }
        return new BuiltComparison(differing.Count == 0 ? BuiltDifference.Same : BuiltDifference.BodiesOnly, differing);
    }
}
