namespace OCI.Workspace.Formatting;

/// <summary>
/// Which lines of one sequence are kept in another (longest common subsequence, after trimming the common ends, so
/// the quadratic table covers only the changed middle). Lines are compared as given: callers pass them without their
/// line breaks, so a line whose only change is its ending counts as kept.
/// </summary>
internal static class LineDiff
{
    /// <summary>Above this many line pairs the middle counts as replaced whole (the table would be too large).</summary>
    private const long MaxLinePairs = 4_000_000;

    /// <summary>For each new line, the index of the old line it keeps, or -1 for an inserted line.</summary>
    public static int[] KeptOldLines(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        var kept = new int[newLines.Count];
        Array.Fill(kept, -1);
        var prefix = 0;
        while (prefix < oldLines.Count && prefix < newLines.Count && oldLines[prefix] == newLines[prefix])
        {
            kept[prefix] = prefix;
            prefix++;
        }
        var suffix = 0;
        while (suffix < oldLines.Count - prefix && suffix < newLines.Count - prefix
            && oldLines[oldLines.Count - 1 - suffix] == newLines[newLines.Count - 1 - suffix])
        {
            kept[newLines.Count - 1 - suffix] = oldLines.Count - 1 - suffix;
            suffix++;
        }

        var n = oldLines.Count - prefix - suffix;
        var m = newLines.Count - prefix - suffix;
        if (n == 0 || m == 0 || (long)n * m > MaxLinePairs) return kept;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = oldLines[prefix + i] == newLines[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        for (int i = 0, j = 0; i < n && j < m;)
        {
            if (oldLines[prefix + i] == newLines[prefix + j])
            {
                kept[prefix + j] = prefix + i;
                i++;
                j++;
            }
            else if (lcs[i + 1, j] >= lcs[i, j + 1]) i++;
            else j++;
        }
        return kept;
    }
}
