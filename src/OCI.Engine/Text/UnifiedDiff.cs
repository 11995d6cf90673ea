using System.Text;

namespace OCI.Engine.Text;

/// <summary>
/// Line diffs: the unified diff the CLI prints and the "lines changed" size that ranks candidates. Common prefix and
/// suffix are trimmed first, so the quadratic LCS only runs over the changed middle (a few lines for a refine edit).
/// The printed diff keeps every line's own ending (a CRLF file's lines keep their CR) and marks a last line without one
/// ("\ No newline at end of file"), so <c>git apply</c> and <c>patch</c> accept it on the file it was made from.
/// </summary>
public static class UnifiedDiff
{
    private enum Op { Keep, Delete, Insert }

    /// <summary>Lines deleted plus lines inserted (a replaced line counts once per side).</summary>
    public static int CountChangedLines(string oldText, string newText)
    {
        var script = Script(SplitLines(oldText), SplitLines(newText));
        var deleted = script.Count(s => s.Op == Op.Delete);
        var inserted = script.Count(s => s.Op == Op.Insert);
        return Math.Max(deleted, inserted);
    }

    /// <summary>A unified diff (3 lines of context) from <paramref name="oldText"/> to <paramref name="newText"/>; empty when equal.</summary>
    public static string Create(string oldText, string newText, string oldLabel, string newLabel, int context = 3)
    {
        var oldLines = SplitLinesKeepingEndings(oldText);
        var newLines = SplitLinesKeepingEndings(newText);
        var script = Script(oldLines, newLines);
        if (script.All(s => s.Op == Op.Keep)) return string.Empty;

        var output = new StringBuilder();
        output.Append("--- ").Append(oldLabel).Append('\n');
        output.Append("+++ ").Append(newLabel).Append('\n');
        var index = 0;
        while (index < script.Count)
        {
            var firstChange = script.FindIndex(index, s => s.Op != Op.Keep);
            if (firstChange < 0) break;
            var start = Math.Max(index, firstChange - context);
            // Extend the hunk while the next change is within 2×context of the last one.
            var end = firstChange;
            var cursor = firstChange;
            while (cursor < script.Count)
            {
                if (script[cursor].Op != Op.Keep) { end = cursor; cursor++; continue; }
                var nextChange = script.FindIndex(cursor, s => s.Op != Op.Keep);
                if (nextChange < 0 || nextChange - end > 2 * context) break;
                cursor = nextChange;
            }
            var stop = Math.Min(script.Count, end + context + 1);
            var hunk = script.GetRange(start, stop - start);
            var oldStart = hunk.FirstOrDefault(s => s.Op != Op.Insert).OldIndex;
            var newStart = hunk.FirstOrDefault(s => s.Op != Op.Delete).NewIndex;
            var oldCount = hunk.Count(s => s.Op != Op.Insert);
            var newCount = hunk.Count(s => s.Op != Op.Delete);
            if (oldCount == 0) oldStart = script.Take(start).Count(s => s.Op != Op.Insert) - 1;
            if (newCount == 0) newStart = script.Take(start).Count(s => s.Op != Op.Delete) - 1;
            output.Append($"@@ -{oldStart + 1},{oldCount} +{newStart + 1},{newCount} @@\n");
            foreach (var step in hunk)
            {
                var line = step.Op == Op.Insert ? newLines[step.NewIndex] : oldLines[step.OldIndex];
                output.Append(step.Op switch { Op.Keep => ' ', Op.Delete => '-', _ => '+' }).Append(line);
                if (!line.EndsWith('\n')) output.Append("\n\\ No newline at end of file\n");
            }
            index = stop;
        }
        return output.ToString();
    }

    /// <summary>The changed regions from <paramref name="oldText"/> to <paramref name="newText"/>: old lines [Start, End) become Lines.</summary>
    internal static List<(int Start, int End, string[] Lines)> Hunks(string oldText, string newText)
    {
        var newLines = SplitLines(newText);
        var script = Script(SplitLines(oldText), newLines);
        var hunks = new List<(int, int, string[])>();
        var index = 0;
        while (index < script.Count)
        {
            if (script[index].Op == Op.Keep) { index++; continue; }
            var start = script[index].OldIndex;
            var deleted = 0;
            var inserted = new List<string>();
            for (; index < script.Count && script[index].Op != Op.Keep; index++)
            {
                if (script[index].Op == Op.Delete) deleted++;
                else inserted.Add(newLines[script[index].NewIndex]);
            }
            hunks.Add((start, start + deleted, [.. inserted]));
        }
        return hunks;
    }

    internal static string[] SplitLines(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.EndsWith('\n')) normalized = normalized[..^1];
        return normalized.Length == 0 && text.Length == 0 ? [] : normalized.Split('\n');
    }

    /// <summary>Lines with their own endings ("a\r\n", "b\n"; the last one may have none).</summary>
    private static string[] SplitLinesKeepingEndings(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length - 1;
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return [.. lines];
    }

    private readonly record struct Step(Op Op, int OldIndex, int NewIndex);

    private static List<Step> Script(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix]) suffix++;

        var steps = new List<Step>();
        for (var i = 0; i < prefix; i++) steps.Add(new Step(Op.Keep, i, i));

        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        // lcs[i, j]: LCS length of a[prefix+i..] and b[prefix+j..] within the middle.
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y]) { steps.Add(new Step(Op.Keep, prefix + x, prefix + y)); x++; y++; }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) { steps.Add(new Step(Op.Delete, prefix + x, prefix + y)); x++; }
            else { steps.Add(new Step(Op.Insert, prefix + x, prefix + y)); y++; }
        }
        for (var i = 0; i < suffix; i++) steps.Add(new Step(Op.Keep, a.Length - suffix + i, b.Length - suffix + i));
        return steps;
    }
}
