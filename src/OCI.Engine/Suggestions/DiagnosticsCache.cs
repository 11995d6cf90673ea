using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Semantic diagnostics per document, computed in the background after an edit settles, so that codeAction can list
/// "Fix with OCI" for Roslyn's diagnostics without binding a file on the request path. A stale entry is never used; the
/// request then sees syntax diagnostics only and a refresh is scheduled. An entry is stale when the document's text
/// version differs or when its project's compilation is not the one the entry was computed from: a file's diagnostics
/// depend on the other files of its project and on every project it references (a library changed on disk or in
/// another buffer), and Roslyn gives a project a new compilation exactly when one of those changed.
/// </summary>
public sealed class DiagnosticsCache(TimeSpan debounce, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Solution Solution, CancellationTokenSource Cancellation)> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VersionStamp> _refreshing = new(StringComparer.Ordinal);

    /// <summary>The semantic diagnostics of this exact text version in this exact state of its project and references, if computed.</summary>
    public ImmutableArray<Diagnostic>? TryGet(Document document)
    {
        if (document.FilePath is null || !document.TryGetTextVersion(out var version)) return null;
        if (!_entries.TryGetValue(document.FilePath, out var entry) || entry.Version != version) return null;
        // Not built yet for this state (a referenced project changed since): the entry is about an older one.
        if (!document.Project.TryGetCompilation(out var compilation)) return null;
        return entry.Compilation.TryGetTarget(out var computedFrom) && ReferenceEquals(computedFrom, compilation) ? entry.Diagnostics : null;
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
        // The load's first diagnostics of this very text are being computed: binding the file twice at once only halves the cores.
        if (document.TryGetTextVersion(out var version) && _refreshing.TryGetValue(path, out var refreshing) && refreshing == version) return;
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
                await ComputeAsync(document, cts.Token).ConfigureAwait(false);
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
        _refreshing[document.FilePath] = version;
        try
        {
            await ComputeAsync(document, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.TryRemove(new KeyValuePair<string, VersionStamp>(document.FilePath, version));
        }
    }

    /// <summary>The diagnostics of this exact text version, computed now unless they already are.</summary>
    public async Task<ImmutableArray<Diagnostic>?> GetOrComputeAsync(Document document, CancellationToken cancellationToken)
    {
        if (TryGet(document) is { } known) return known;
        await RefreshAsync(document, cancellationToken).ConfigureAwait(false);
        return TryGet(document);
    }

    /// <summary>Binds only this document's tree (its semantic model), never the whole compilation's diagnostics.</summary>
    private async Task ComputeAsync(Document document, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var version = await document.GetTextVersionAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return;
        var modelMs = watch.ElapsedMilliseconds;
        // Weakly: an entry must not keep an older state's compilation alive (it only needs to tell it from the current one).
        _entries[document.FilePath!] = new Entry(version, new WeakReference<Compilation>(model.Compilation), await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false));
        _logger.LogDebug("Diagnostics timing: {File} semantic model {ModelMs} ms, diagnostics {DiagnosticsMs} ms",
            Path.GetFileName(document.FilePath), modelMs, watch.ElapsedMilliseconds - modelMs);
    }

    public void Remove(string path) => _entries.TryRemove(path, out _);

    private sealed record Entry(VersionStamp Version, WeakReference<Compilation> Compilation, ImmutableArray<Diagnostic> Diagnostics);
}
