using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Formatting;

namespace OCI.Workspace.CodeFixes;

/// <summary>
/// Computes Roslyn's code fixes for a diagnostic and applies them in memory, producing candidates the refine loop
/// verifies like any other: instant, exact, and available with no model configured. Nested actions ("Add using" →
/// one per namespace) are flattened; actions that need a user interface (no <see cref="ApplyChangesOperation"/>)
/// are skipped. Never throws for a misbehaving provider: one broken fix must not hide the others. Every changed file
/// comes back in its own <see cref="DocumentStyle"/> (Roslyn formats what it generates with its defaults: LF and four
/// spaces), with only the lines the fix writes changed.
/// </summary>
public static class RoslynCodeFixes
{
    /// <summary>Most fixes offered for one diagnostic (add-using can propose many namespaces).</summary>
    public const int DefaultMaxFixes = 12;

    /// <summary>
    /// The fixes for the compiler diagnostics in <paramref name="span"/> of <paramref name="document"/> (only those with
    /// <paramref name="diagnosticId"/> when given), most specific diagnostic first.
    /// </summary>
    public static async Task<IReadOnlyList<RoslynFix>> GetFixesAsync(
        Document document,
        TextSpan span,
        string? diagnosticId,
        CancellationToken cancellationToken,
        int maxFixes = DefaultMaxFixes)
    {
        ArgumentNullException.ThrowIfNull(document);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (semanticModel is null) return [];

        var diagnostics = (await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(semanticModel, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Location.IsInSource && d.Severity != DiagnosticSeverity.Hidden)
            .Where(d => diagnosticId is null || string.Equals(d.Id, diagnosticId, StringComparison.OrdinalIgnoreCase))
            .Where(d => d.Location.SourceSpan.IntersectsWith(span) || d.Location.SourceSpan.Contains(span.Start) || span.Contains(d.Location.SourceSpan))
            .OrderBy(d => d.Severity == DiagnosticSeverity.Error ? 0 : 1)
            .ThenBy(d => d.Location.SourceSpan.Length)
            .ToList();

        var fixes = new List<RoslynFix>();
        var seenTexts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            foreach (var fix in await GetFixesAsync(document, diagnostic, cancellationToken).ConfigureAwait(false))
            {
                // Different providers can produce the same edit (add using from two code paths): keep one.
                var key = string.Join("\0", fix.Changes.Select(c => c.Path + "\0" + c.NewText));
                if (!seenTexts.Add(key)) continue;
                fixes.Add(fix);
                if (fixes.Count >= maxFixes) return fixes;
            }
        }
        return fixes;
    }

    /// <summary>The fixes for one diagnostic, applied (each a set of whole-file changes).</summary>
    public static async Task<IReadOnlyList<RoslynFix>> GetFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(diagnostic);
        // The providers, and then the actions, run side by side (a fix-it is shown only once all are known: a typo's
        // "Change to" waits for "Generate method" otherwise); each keeps its place in Roslyn's order.
        var perProvider = await Task.WhenAll(CodeFixProviderCatalog.For(diagnostic.Id).Select(provider => Task.Run(async () =>
        {
            var registered = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => { lock (registered) registered.Add(action); }, cancellationToken);
            try
            {
                await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A provider that fails outside Visual Studio (missing host service) is skipped.
            }
            return registered;
        }, cancellationToken))).ConfigureAwait(false);
        var actions = perProvider.SelectMany(registered => registered).ToList();

        // Roslyn's own order of relevance; among equals, "using X;" before spelling the name out in full.
        var ordered = Flatten(actions)
            .Select((action, index) => (action, index))
            .OrderByDescending(a => (int)a.action.Priority)
            .ThenBy(a => a.action.Title.StartsWith("using ", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(a => a.index)
            .Select(a => a.action);
        var applied = await Task.WhenAll(ordered.Select(action => Task.Run(() => ApplyAsync(document, action, diagnostic.Id, cancellationToken), cancellationToken))).ConfigureAwait(false);
        var fixes = applied.OfType<RoslynFix>().ToList();
        // A fix that writes a stub (a generated member whose body throws NotImplementedException) goes after every fix
        // that does not: it compiles but fails every test that reaches it, so checking it first costs the user a whole
        // check (a misspelt call in CsvHelper: "Generate method 'FilBuffer'" came before the rename to FillBuffer).
        // Among stubs (implementing an interface) Roslyn's order stands. Stable: the order above is kept otherwise.
        return fixes.OrderBy(f => f.AddsStub ? 1 : 0).ToList();
    }

    /// <summary>
    /// Runs, for the diagnostic <paramref name="diagnosticId"/> at <paramref name="span"/>, only the providers that
    /// search every referenced assembly for a name ("add using", "fully qualify", the spelling fix), and applies none of their actions:
    /// what their first run builds (the symbol index of each assembly, seconds on two cores) is what a fix after opening
    /// a repository waits for; the other providers and the actions build nothing lasting. Returns how many actions
    /// they offered.
    /// </summary>
    public static async Task<int> WarmNameSearchAsync(Document document, TextSpan span, string diagnosticId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (semanticModel is null) return 0;
        var diagnostic = (await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(semanticModel, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.Id == diagnosticId && d.Location.SourceSpan.IntersectsWith(span));
        if (diagnostic is null) return 0;
        var searching = CodeFixProviderCatalog.For(diagnosticId)
            .Where(p => p.GetType().Name is var name && (name.Contains("AddImport", StringComparison.Ordinal) || name.Contains("FullyQualify", StringComparison.Ordinal) || name.Contains("SpellCheck", StringComparison.Ordinal)))
            .ToList();
        var counts = await Task.WhenAll(searching.Select(provider => Task.Run(async () =>
        {
            var count = 0;
            var context = new CodeFixContext(document, diagnostic, (_, _) => Interlocked.Increment(ref count), cancellationToken);
            try
            {
                await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // As for a real fix: a provider that fails outside Visual Studio is skipped.
            }
            return count;
        }, cancellationToken))).ConfigureAwait(false);
        return counts.Sum();
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions)
    {
        foreach (var action in actions)
        {
            var nested = action.NestedActions;
            if (nested.IsDefaultOrEmpty)
            {
                yield return action;
                continue;
            }
            foreach (var inner in Flatten(nested)) yield return inner;
        }
    }

    private static async Task<RoslynFix?> ApplyAsync(Document fixedDocument, CodeAction action, string diagnosticId, CancellationToken cancellationToken)
    {
        var before = fixedDocument.Project.Solution;
        ImmutableArray<CodeActionOperation> operations;
        try
        {
            operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }

        var apply = operations.OfType<ApplyChangesOperation>().FirstOrDefault();
        if (apply is null) return null;

        var after = apply.ChangedSolution;
        var changes = new List<FileChange>();
        var changedLines = 0;
        var addsStub = false;
        foreach (var projectChanges in after.GetChanges(before).GetProjectChanges())
        {
            foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true).Concat(projectChanges.GetAddedDocuments()))
            {
                var newDocument = after.GetDocument(id);
                if (newDocument?.FilePath is null) continue;
                var newText = await newDocument.GetTextAsync(cancellationToken).ConfigureAwait(false);
                var oldDocument = before.GetDocument(id);
                var oldText = oldDocument is null ? null : await oldDocument.GetTextAsync(cancellationToken).ConfigureAwait(false);
                changedLines += CountChangedLines(oldText, newText);
                addsStub |= StubCount(newText.ToString()) > (oldText is null ? 0 : StubCount(oldText.ToString()));
                // A new file is written like the file whose diagnostic it fixes.
                var style = await DocumentStyle.OfAsync(oldDocument ?? fixedDocument, cancellationToken).ConfigureAwait(false);
                changes.Add(new FileChange(newDocument.FilePath, StyleNormalizer.Normalize(oldText?.ToString(), newText.ToString(), style)));
            }
        }
        return changes.Count == 0 ? null : new RoslynFix(action.Title, diagnosticId, changes, changedLines) { AddsStub = addsStub };
    }

    /// <summary>How often a text throws <c>NotImplementedException</c>: the body Roslyn's generate and implement fixes write.</summary>
    private static int StubCount(string text)
    {
        var count = 0;
        for (var at = text.IndexOf("NotImplementedException", StringComparison.Ordinal); at >= 0; at = text.IndexOf("NotImplementedException", at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>Lines touched by the text changes (a new file counts all its lines).</summary>
    internal static int CountChangedLines(SourceText? oldText, SourceText newText)
    {
        if (oldText is null) return newText.Lines.Count;
        var lines = 0;
        foreach (var change in newText.GetChangeRanges(oldText))
        {
            // A change within one line counts 1; otherwise the line breaks it removes or inserts, whichever is more.
            var removed = oldText.ToString(change.Span).Count(c => c == '\n');
            var inserted = newText.ToString(new TextSpan(change.Span.Start, change.NewLength)).Count(c => c == '\n');
            lines += Math.Max(1, Math.Max(removed, inserted));
        }
        return lines;
    }
}
