namespace OCI.Engine.Text;

/// <summary>
/// Line-based three-way merge: two edits of the same original text combined when they touch different lines. Used to
/// put the model's reply (written against the user's code) on top of Roslyn's fix that got part of the way.
/// </summary>
public static class ThreeWayMerge
{
    /// <summary>Both edits applied to <paramref name="original"/>; null when they change the same lines differently.</summary>
    public static string? Merge(string original, string first, string second)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var hunks = UnifiedDiff.Hunks(original, first);
        foreach (var hunk in UnifiedDiff.Hunks(original, second))
        {
            if (hunks.Any(h => h.Start == hunk.Start && h.End == hunk.End && h.Lines.SequenceEqual(hunk.Lines))) continue; // the same change twice
            if (hunks.Any(h => Overlap(h.Start, h.End, hunk.Start, hunk.End))) return null;
            hunks.Add(hunk);
        }

        var lines = UnifiedDiff.SplitLines(original).ToList();
        // From the end, so that earlier positions stay valid; an insertion sorts after a change ending at its position.
        foreach (var (start, end, replacement) in hunks.OrderByDescending(h => h.Start).ThenByDescending(h => h.End))
        {
            lines.RemoveRange(start, end - start);
            lines.InsertRange(start, replacement);
        }
        var newline = original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var merged = string.Join(newline, lines);
        return original.EndsWith('\n') || original.Length == 0 ? merged + newline : merged;
    }

    /// <summary>Two regions [s, e) conflict when they share a line, or an insertion falls at or inside the other.</summary>
    private static bool Overlap(int s1, int e1, int s2, int e2) =>
        Math.Max(s1, s2) < Math.Min(e1, e2) || s1 == s2 || (s1 == e1 && s2 < s1 && s1 < e2) || (s2 == e2 && s1 < s2 && s2 < e1);
}
