using System.Collections.Immutable;
using OCI.Workspace;

namespace OCI.Engine.Workspaces;

/// <summary>
/// The loaded workspace folders (multi-root), each with its own host, and which one serves a file: the host whose
/// solution holds the document, else the deepest folder that contains the path, else (one folder, a file outside
/// it) the only one. Thread-safe: the list is replaced, never changed in place.
/// </summary>
internal sealed class WorkspaceHosts
{
    private ImmutableArray<(string Root, IWorkspaceHost Host)> _entries = [];

    public ImmutableArray<(string Root, IWorkspaceHost Host)> All => ImmutableInterlocked.InterlockedCompareExchange(ref _entries, _entries, _entries);

    public bool IsEmpty => All.IsEmpty;

    /// <summary>The host serving <paramref name="fullPath"/>, or null when no folder is loaded.</summary>
    public IWorkspaceHost? For(string fullPath)
    {
        var entries = All;
        if (entries.IsEmpty) return null;
        if (entries.Length == 1) return entries[0].Host;
        var byDepth = entries.OrderByDescending(e => e.Root.Length).ToList();
        foreach (var (_, host) in byDepth)
        {
            if (!host.CurrentSolution.GetDocumentIdsWithFilePath(fullPath).IsEmpty) return host;
        }
        foreach (var (root, host) in byDepth)
        {
            if (Contains(root, fullPath)) return host;
        }
        return null;
    }

    /// <summary>Sets the host of a folder; returns the one it replaces (to dispose), if any.</summary>
    public IWorkspaceHost? Set(string root, IWorkspaceHost host)
    {
        IWorkspaceHost? previous = null;
        ImmutableInterlocked.Update(ref _entries, entries =>
        {
            var index = entries.IndexOf(entries.FirstOrDefault(e => e.Root == root));
            previous = index >= 0 ? entries[index].Host : null;
            return index >= 0 ? entries.SetItem(index, (root, host)) : entries.Add((root, host));
        });
        return previous;
    }

    /// <summary>Removes a folder; returns its host (to dispose), if it was loaded.</summary>
    public IWorkspaceHost? Remove(string root)
    {
        IWorkspaceHost? removed = null;
        ImmutableInterlocked.Update(ref _entries, entries =>
        {
            var index = entries.IndexOf(entries.FirstOrDefault(e => e.Root == root));
            removed = index >= 0 ? entries[index].Host : null;
            return index >= 0 ? entries.RemoveAt(index) : entries;
        });
        return removed;
    }

    public static bool Contains(string root, string fullPath) =>
        fullPath.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
