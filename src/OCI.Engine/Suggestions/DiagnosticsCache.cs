using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Semantic diagnostics per document, computed in the background after an edit settles, so that codeAction can list
/// "Fix with OCI" for Roslyn's diagnostics without binding a file on the request path. A stale entry (other text
/// version) is never used; the request then sees syntax diagnostics only and a refresh is scheduled.
/// </summary>
public sealed class DiagnosticsCache(TimeSpan debounce)
{
    private readonly ConcurrentDictionary<string, (VersionStamp Version, ImmutableArray<Diagnostic> Diagnostics)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Solution Solution, CancellationTokenSource Cancellation)> _pending = new(StringComparer.Ordinal);

    /// <summary>The semantic diagnostics of this exact text version, if computed.</summary>
    public ImmutableArray<Diagnostic>? TryGet(Document document)
    {
        if (document.FilePath is null || !document.TryGetTextVersion(out var version)) return null;
        return _entries.TryGetValue(document.FilePath, out var entry) && entry.Version == version ? entry.Diagnostics : null;
    }

    /// <summary>
    /// Computes the document's diagnostics after <c>debounce</c>, cancelling an earlier pending computation made against
    /// another state of the solution (an edit, files changed on disk). One made against this same state is left running:
    /// codeAction asks on every cursor move, and restarting the debounce each time would starve the very computation it
    /// waits for.
    /// </summary>
    public void Schedule(Document document)
    {
        var path = document.FilePath;
        if (path is null) return;
        var cts = new CancellationTokenSource();
        var entry = (document.Project.Solution, cts);
        if (_pending.TryGetValue(path, out var earlier))
        {
            if (ReferenceEquals(earlier.Solution, document.Project.Solution))
            {
                cts.Dispose();
                return;
            }
            CancelQuietly(earlier.Cancellation);
        }
        _pending[path] = entry;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(debounce, cts.Token).ConfigureAwait(false);
                var version = await document.GetTextVersionAsync(cts.Token).ConfigureAwait(false);
                var model = await document.GetSemanticModelAsync(cts.Token).ConfigureAwait(false);
                if (model is null) return;
                _entries[path] = (version, model.GetDiagnostics(cancellationToken: cts.Token));
            }
            catch (OperationCanceledException)
            {
                // Superseded by a newer edit.
            }
            finally
            {
                _pending.TryRemove(new KeyValuePair<string, (Solution, CancellationTokenSource)>(path, entry));
                cts.Dispose();
            }
        });
    }

    private static void CancelQuietly(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished meanwhile.
        }
    }

    /// <summary>Computes and stores now (tests, and the CLI which has no keystrokes to wait for).</summary>
    public async Task RefreshAsync(Document document, CancellationToken cancellationToken)
    {
        if (document.FilePath is null) return;
        var version = await document.GetTextVersionAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is not null) _entries[document.FilePath] = (version, model.GetDiagnostics(cancellationToken: cancellationToken));
    }

    public void Remove(string path) => _entries.TryRemove(path, out _);
}
