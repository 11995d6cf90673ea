using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Fixes;

/// <summary>
/// Roslyn's own code fixes as loop candidates: first the fixes for the diagnostic the user asked about, then, for a
/// candidate that left errors in the files it changed, the fixes for the first of those errors that has any (the same
/// diagnostic id first, then in file order) computed on the solution with the candidate applied. A follow-up holds the
/// whole chain's changes, so it is verified like any other candidate.
/// </summary>
public sealed class RoslynFixSource(Document document, TextSpan diagnosticSpan, string diagnosticId) : IFixSource
{
    /// <summary>Errors of a candidate looked at for follow-up fixes (each costs a round of code fix providers).</summary>
    private const int MaxErrorsTried = 4;

    private readonly object _gate = new();
    private Task<IReadOnlyList<Candidate>>? _first;
    private Task<IReadOnlyList<Candidate>>? _quick;

    /// <summary>
    /// The first fixes, computed once (<see cref="Prefetch"/> starts them while the baseline is checked); each caller's
    /// token still ends its own wait (the fix search's time budget).
    /// </summary>
    public Task<IReadOnlyList<Candidate>> FirstAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return (_first ??= ComputeFirstAsync(cancellationToken)).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Starts the quick fixes, and Roslyn's providers only when there is no quick fix: those would take a core from the
    /// quick fix's check (after opening, their first run indexes every referenced assembly), and they are wanted only if
    /// it fails.
    /// </summary>
    public void Prefetch(CancellationToken cancellationToken)
    {
        // A run that ends before its fixes are wanted (nothing to do, cancelled) leaves the work unobserved: observed here.
        _ = Task.Run(async () =>
        {
            if ((await QuickAsync(cancellationToken).ConfigureAwait(false)).Count > 0) return;
            await FirstAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>
    /// The import the project already uses elsewhere, or the closest spelling, read from the compilation
    /// (<see cref="NameLookupFixes"/>): milliseconds, where Roslyn's providers first index every referenced assembly.
    /// </summary>
    public Task<IReadOnlyList<Candidate>> QuickAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return (_quick ??= ComputeQuickAsync(cancellationToken)).WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Candidate>> ComputeQuickAsync(CancellationToken cancellationToken)
    {
        if (!NameLookupFixes.Answers(diagnosticId)) return [];
        var fixes = await NameLookupFixes.GetFixesAsync(document, diagnosticSpan, diagnosticId, cancellationToken).ConfigureAwait(false);
        return [.. fixes.Select(f => new Candidate(CandidateOrigin.Roslyn, f.Title, f.Changes, f.ChangeSize))];
    }

    private async Task<IReadOnlyList<Candidate>> ComputeFirstAsync(CancellationToken cancellationToken)
    {
        var fixes = await RoslynCodeFixes.GetFixesAsync(document, diagnosticSpan, diagnosticId, cancellationToken).ConfigureAwait(false);
        return await WithStubsAsync([.. fixes.Select(f => new Candidate(CandidateOrigin.Roslyn, f.Title, f.Changes, f.ChangeSize))], cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Candidate>> FollowUpsAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var solution = document.Project.Solution;
        var changed = new List<DocumentId>();
        foreach (var change in candidate.Changes)
        {
            foreach (var id in solution.GetDocumentIdsWithFilePath(change.Path))
            {
                solution = solution.WithDocumentText(id, SourceText.From(change.NewText), PreservationMode.PreserveIdentity);
                changed.Add(id);
            }
        }

        var errors = new List<(Document Document, Diagnostic Diagnostic)>();
        foreach (var id in changed)
        {
            if (solution.GetDocument(id) is not { } changedDocument) continue;
            var model = await changedDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null) continue;
            errors.AddRange((await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource)
                .Select(d => (changedDocument, d)));
        }

        var ordered = errors
            .OrderBy(e => string.Equals(e.Diagnostic.Id, diagnosticId, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(e => e.Document.FilePath, StringComparer.Ordinal)
            .ThenBy(e => e.Diagnostic.Location.SourceSpan.Start);
        foreach (var (errorDocument, error) in ordered.Take(MaxErrorsTried))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fixes = await RoslynCodeFixes.GetFixesAsync(errorDocument, error, cancellationToken).ConfigureAwait(false);
            if (fixes.Count == 0) continue;
            return await WithStubsAsync([.. fixes.Select(f => Chain(candidate, f))], cancellationToken).ConfigureAwait(false);
        }
        return [];
    }

    /// <summary>The candidates with the stubs each adds to the code as it is ("Generate method" writes one).</summary>
    private async Task<IReadOnlyList<Candidate>> WithStubsAsync(IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        var current = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var path in candidates.SelectMany(c => c.Changes).Select(c => c.Path).Distinct(StringComparer.Ordinal))
        {
            var id = solution.GetDocumentIdsWithFilePath(path).FirstOrDefault();
            current[path] = id is not null && solution.GetDocument(id) is { } existing
                ? (await existing.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString()
                : null;
        }
        return [.. candidates.Select(c => c with { AddedStubs = StubAddition.Find(c.Changes, path => current.GetValueOrDefault(path)) })];
    }

    /// <summary>The candidate's changes with the fix's files replaced (the fix was computed on top of them).</summary>
    private static Candidate Chain(Candidate candidate, RoslynFix fix)
    {
        var byPath = candidate.Changes.ToDictionary(c => c.Path, StringComparer.Ordinal);
        foreach (var change in fix.Changes) byPath[change.Path] = change;
        var order = candidate.Changes.Select(c => c.Path).Concat(fix.Changes.Select(c => c.Path)).Distinct(StringComparer.Ordinal);
        return new Candidate(CandidateOrigin.Roslyn, candidate.Description + " + " + fix.Title, [.. order.Select(p => byPath[p])], candidate.ChangeSize + fix.ChangeSize);
    }
}
