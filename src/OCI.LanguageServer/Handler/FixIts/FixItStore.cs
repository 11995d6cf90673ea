using System.Collections.Concurrent;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Handler.FixIts;

/// <summary>
/// The verified fix-its per document, each set valid for exactly one document version: codeAction reads it on every
/// cursor move (a dictionary lookup, never a wait), the worker replaces it, a change withdraws it.
/// </summary>
internal sealed class FixItStore
{
    private readonly ConcurrentDictionary<string, (int Version, IReadOnlyList<OciFixIt> FixIts)> _sets = new(StringComparer.Ordinal);

    public void Set(string uri, int version, IReadOnlyList<OciFixIt> fixIts) => _sets[uri] = (version, fixIts);

    /// <summary>True while the document's fix-its for <paramref name="version"/> are shown (not withdrawn, not replaced by a newer version's).</summary>
    public bool Holds(string uri, int version) => _sets.TryGetValue(uri, out var set) && set.Version == version && set.FixIts.Count > 0;

    /// <summary>Withdraws the document's set; true when there was one to withdraw (the client must be told).</summary>
    public bool Clear(string uri) => _sets.TryRemove(uri, out var set) && set.FixIts.Count > 0;

    /// <summary>The fix-its of this exact version whose error range touches <paramref name="range"/>, one per title.</summary>
    public IReadOnlyList<OciFixIt> At(string uri, int version, Protocol.Range range)
    {
        if (!_sets.TryGetValue(uri, out var set) || set.Version != version) return [];
        return set.FixIts.Where(f => Touches(f.Range, range)).DistinctBy(f => f.Title).ToList();
    }

    private static bool Touches(Protocol.Range a, Protocol.Range b) => Compare(a.Start, b.End) <= 0 && Compare(b.Start, a.End) <= 0;

    private static int Compare(Position x, Position y) => x.Line != y.Line ? x.Line.CompareTo(y.Line) : x.Character.CompareTo(y.Character);
}
