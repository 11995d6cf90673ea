using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.DiskChanges;

namespace OCI.Workspace.SolutionState;

/// <summary>The baseline and the editor's overlays taken together, so a check sees one consistent state of both.</summary>
internal sealed record OverlaidSnapshot(BaselineSolution Baseline, IReadOnlyDictionary<string, string> Overlays);

/// <summary>
/// The loaded solution with the editor's unsaved buffers overlaid. The Roslyn workspace's TryApplyChanges (which writes
/// to disk) is never called: this keeps its own immutable solution snapshot, replaced on every overlay or file change,
/// so nothing here can write to the user's files.
/// </summary>
internal sealed class OverlaidSolution(Solution loaded)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _overlays = new(StringComparer.Ordinal);
    private BaselineSolution _baseline = new(SingleThreadedCompiles(loaded));

    // The last few states the overlays had, with the solution of each: a typo undone, or a fix-it that restores the text
    // the user had, returns to one of them, and its compilation (and the diagnostics already computed in it) serve again
    // instead of a fresh fork binding the file anew. Cleared by any change from disk or a reload.
    private readonly List<(Dictionary<string, string> Overlays, BaselineSolution Baseline)> _recent = [];
    private const int RecentStates = 3;

    public BaselineSolution Baseline
    {
        get { lock (_gate) return _baseline; }
    }

    public Solution Solution => Baseline.Solution;

    public OverlaidSnapshot Snapshot()
    {
        lock (_gate) return new OverlaidSnapshot(_baseline, new Dictionary<string, string>(_overlays, StringComparer.Ordinal));
    }

    public void SetOverlay(string path, string text)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            _overlays[full] = text;
            // An editor opening a file sends the text on disk: keeping the loaded document keeps the compilations already
            // built (or being built in the background) for it, instead of forking the solution for nothing.
            if (HasText(_baseline.Solution, full, text))
            {
                RememberLocked();
                return;
            }
            _baseline = RecentLocked(_overlays) ?? new BaselineSolution(WithOverlay(_baseline.Solution, full, text));
            RememberLocked();
        }
    }

    /// <summary>
    /// The solution of a recent state whose overlays are exactly <paramref name="overlays"/> (the current ones with a
    /// candidate's changes: the text a fix-it restores), or null when none is.
    /// </summary>
    public Solution? RecentSolutionWith(IReadOnlyDictionary<string, string> overlays)
    {
        lock (_gate) return RecentLocked(overlays)?.Solution;
    }

    private BaselineSolution? RecentLocked(IReadOnlyDictionary<string, string> overlays)
    {
        foreach (var (state, baseline) in _recent)
        {
            if (state.Count == overlays.Count && state.All(o => overlays.TryGetValue(o.Key, out var text) && string.Equals(text, o.Value, StringComparison.Ordinal))) return baseline;
        }
        return null;
    }

    private void RememberLocked()
    {
        _recent.RemoveAll(r => ReferenceEquals(r.Baseline, _baseline) || r.Overlays.Count == _overlays.Count && r.Overlays.All(o => _overlays.TryGetValue(o.Key, out var text) && text == o.Value));
        _recent.Insert(0, (new Dictionary<string, string>(_overlays, StringComparer.Ordinal), _baseline));
        if (_recent.Count > RecentStates) _recent.RemoveAt(_recent.Count - 1);
    }

    /// <summary>
    /// The loaded solution was replaced (MSBuild confirmed a solution that came from the load cache): the editor's overlays
    /// are laid over the new one, and checks from now on see it.
    /// </summary>
    public void ReplaceLoaded(Solution loaded)
    {
        lock (_gate)
        {
            var solution = SingleThreadedCompiles(loaded);
            foreach (var (path, text) in _overlays)
            {
                if (!HasText(solution, path, text)) solution = WithOverlay(solution, path, text);
            }
            _baseline = new BaselineSolution(solution);
            _recent.Clear();
        }
    }

    private static Solution WithOverlay(Solution solution, string full, string text)
    {
        foreach (var id in solution.GetDocumentIdsWithFilePath(full))
        {
            solution = solution.WithDocumentText(id, SourceText.From(text, System.Text.Encoding.UTF8));
        }
        return solution;
    }

    /// <summary>True when every document of the file already holds exactly <paramref name="text"/> (its loaded text, else the disk's, which it loads).</summary>
    private static bool HasText(Solution solution, string full, string text)
    {
        var ids = solution.GetDocumentIdsWithFilePath(full);
        if (ids.IsEmpty) return false;
        string? disk = null;
        foreach (var id in ids)
        {
            if (solution.GetDocument(id) is not { } document) return false;
            if (document.TryGetText(out var loaded))
            {
                if (!string.Equals(loaded.ToString(), text, StringComparison.Ordinal)) return false;
                continue;
            }
            try
            {
                disk ??= File.Exists(full) ? File.ReadAllText(full) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            if (!string.Equals(disk, text, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    public void RemoveOverlay(string path)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            if (!_overlays.Remove(full)) return;
            _recent.Clear();
            ReloadFromDiskLocked(full);
        }
    }

    /// <summary>The file changed on disk (saved, checked out): take its disk text unless an overlay hides it.</summary>
    public void NotifyFileChanged(string path)
    {
        var full = Path.GetFullPath(path);
        lock (_gate)
        {
            _recent.Clear();
            if (_overlays.TryGetValue(full, out var overlay))
            {
                // The overlay stands; a document that kept its loaded text (the overlay equalled the disk) must not now
                // pick up the newer disk text.
                if (!HasText(_baseline.Solution, full, overlay)) _baseline = new BaselineSolution(WithOverlay(_baseline.Solution, full, overlay));
                return;
            }
            ReloadFromDiskLocked(full);
        }
    }

    /// <summary>Source files changed, created or deleted on disk (see <see cref="DiskChangeApplier"/>); the projects they changed.</summary>
    public IReadOnlyList<ProjectId> ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes)
    {
        lock (_gate)
        {
            _recent.Clear();
            var (solution, changed) = DiskChangeApplier.Apply(_baseline.Solution, changes, _overlays);
            foreach (var change in changes)
            {
                var full = Path.GetFullPath(change.Path);
                if (_overlays.TryGetValue(full, out var overlay) && !HasText(solution, full, overlay)) solution = WithOverlay(solution, full, overlay);
            }
            if (changed.Count > 0 || !ReferenceEquals(solution, _baseline.Solution)) _baseline = new BaselineSolution(solution);
            return changed;
        }
    }

    /// <summary>The overlay, else the solution's text, else the disk's; null for a file that exists nowhere.</summary>
    public string? GetText(string path)
    {
        var full = Path.GetFullPath(path);
        Solution solution;
        lock (_gate)
        {
            if (_overlays.TryGetValue(full, out var overlay)) return overlay;
            solution = _baseline.Solution;
        }
        var id = solution.GetDocumentIdsWithFilePath(full).FirstOrDefault();
        if (id is not null && solution.GetDocument(id) is { } document && document.TryGetText(out var cached)) return cached.ToString();
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    /// <summary>
    /// In-process compiles of the user's projects run on one thread (concurrentBuild off). With it on, Roslyn spreads a
    /// compile over every core and pool thread, so a background check (fix-its, known failures) starves the editor's
    /// requests: codeAction p95 was 121–217 ms on the 18,000-line corpus on 2 cores. The warm compilations are shared by
    /// every check, so the option cannot differ between background and foreground work: a foreground compile gives up
    /// its parallel speed-up too.
    /// </summary>
    private static Solution SingleThreadedCompiles(Solution solution)
    {
        foreach (var project in solution.Projects)
        {
            if (project.CompilationOptions is { ConcurrentBuild: true } options)
            {
                solution = solution.WithProjectCompilationOptions(project.Id, options.WithConcurrentBuild(false));
            }
        }
        return solution;
    }

    private void ReloadFromDiskLocked(string full)
    {
        var solution = _baseline.Solution;
        var ids = solution.GetDocumentIdsWithFilePath(full);
        if (ids.IsEmpty || !File.Exists(full)) return;
        var text = SourceText.From(File.ReadAllText(full), System.Text.Encoding.UTF8);
        foreach (var id in ids)
        {
            // A buffer closed as saved keeps its document: the compilations of its project and dependents stay valid.
            if (solution.GetDocument(id) is { } document && document.TryGetText(out var current) && current.ContentEquals(text)) continue;
            solution = solution.WithDocumentText(id, text);
        }
        if (!ReferenceEquals(solution, _baseline.Solution)) _baseline = new BaselineSolution(solution);
    }
}
