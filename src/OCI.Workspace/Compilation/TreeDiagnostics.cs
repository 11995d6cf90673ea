using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace OCI.Workspace.Compilation;

/// <summary>
/// The semantic diagnostics of one document in one compilation, computed once. Why: Roslyn binds every method body of
/// a file again on each <c>GetDiagnostics</c> call, and a keystroke's fix-it asked for the same file's diagnostics up to
/// seven times (the editor's errors, the fix-it's errors, the task, Roslyn's fixes, the user's code as a baseline, the
/// candidate's compile before and after its tests were known): a tenth to a third of a second each for a 1,500-line
/// file, on two cores, side by side. A compilation is an immutable snapshot, so its diagnostics of a tree never change.
/// </summary>
public static class TreeDiagnostics
{
    private static readonly ConditionalWeakTable<Microsoft.CodeAnalysis.Compilation, ConcurrentDictionary<SyntaxTree, Task<ImmutableArray<Diagnostic>>>> ByCompilation = new();

    /// <summary>Every diagnostic <paramref name="model"/>'s tree has in its compilation (as <c>model.GetDiagnostics()</c>).</summary>
    public static async Task<ImmutableArray<Diagnostic>> OfAsync(SemanticModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trees = ByCompilation.GetValue(model.Compilation, _ => new());
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The first asker computes with its own token; a computation cancelled for it is dropped and done again by
            // the next asker, never handed out cancelled.
            var computing = trees.GetOrAdd(model.SyntaxTree, _ => Task.Run(() => model.GetDiagnostics(cancellationToken: cancellationToken), cancellationToken));
            try
            {
                return await computing.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                trees.TryRemove(new KeyValuePair<SyntaxTree, Task<ImmutableArray<Diagnostic>>>(model.SyntaxTree, computing));
            }
        }
    }

    /// <summary>The diagnostics of <paramref name="document"/>'s tree; empty when it has no semantic model.</summary>
    public static async Task<ImmutableArray<Diagnostic>> OfAsync(Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model is null ? [] : await OfAsync(model, cancellationToken).ConfigureAwait(false);
    }
}
