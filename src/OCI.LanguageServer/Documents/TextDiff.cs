namespace OCI.LanguageServer.Documents;

/// <summary>Replace old text [<see cref="Start"/>, <see cref="End"/>) with <see cref="NewText"/>.</summary>
public readonly record struct TextReplacement(int Start, int End, string NewText);

/// <summary>
/// The edits that turn one text into another while touching as little as possible, so that the editor keeps cursors,
/// folds and undo granularity on the untouched lines: common prefix and suffix are trimmed, the middle is diffed by
/// lines (longest common subsequence), and each changed run of lines is trimmed again by characters. Boundaries never
/// split a surrogate pair or a CRLF. Replacements are sorted, disjoint and refer to the old text.
/// </summary>
public static class TextDiff
{
    /// <summary>Above this many line pairs the middle becomes one replacement (the LCS table would be too large).</summary>
    private const long MaxLinePairs = 4_000_000;

    public static IReadOnlyList<TextReplacement> Compute(string oldText, string newText)
    {
        if (string.Equals(oldText, newText, StringComparison.Ordinal))
        {
            return [];
        }
        var (prefix, suffix) = CommonEnds(oldText, 0, oldText.Length, newText, 0, newText.Length);
        var oldStart = prefix;
        var oldEnd = oldText.Length - suffix;
        var newStart = prefix;
        var newEnd = newText.Length - suffix;

        var oldLines = SplitLines(oldText, oldStart, oldEnd);
        var newLines = SplitLines(newText, newStart, newEnd);
        if ((long)oldLines.Count * newLines.Count > MaxLinePairs || oldLines.Count == 0 || newLines.Count == 0)
        {
            return [new TextReplacement(oldStart, oldEnd, newText[newStart..newEnd])];
        }

        var result = new List<TextReplacement>();
        foreach (var (oldFrom, oldTo, newFrom, newTo) in DiffLines(oldText, oldLines, newText, newLines))
        {
            var o1 = oldFrom < oldLines.Count ? oldLines[oldFrom].Start : oldEnd;
            var o2 = oldTo < oldLines.Count ? oldLines[oldTo].Start : oldEnd;
            var n1 = newFrom < newLines.Count ? newLines[newFrom].Start : newEnd;
            var n2 = newTo < newLines.Count ? newLines[newTo].Start : newEnd;
            var (p, s) = CommonEnds(oldText, o1, o2, newText, n1, n2);
            if (o1 + p < o2 - s || n1 + p < n2 - s)
            {
                result.Add(new TextReplacement(o1 + p, o2 - s, newText[(n1 + p)..(n2 - s)]));
            }
        }
        return result;
    }

    /// <summary>Applies sorted, disjoint replacements (what an editor does with a TextEdit[]).</summary>
    public static string Apply(string text, IEnumerable<TextReplacement> replacements)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var replacement in replacements.OrderBy(r => r.Start))
        {
            builder.Append(text, position, replacement.Start - position).Append(replacement.NewText);
            position = replacement.End;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Lengths of the common prefix and suffix of two ranges, adjusted not to split a surrogate pair or a CRLF.</summary>
    private static (int Prefix, int Suffix) CommonEnds(string a, int aStart, int aEnd, string b, int bStart, int bEnd)
    {
        var max = Math.Min(aEnd - aStart, bEnd - bStart);
        var prefix = 0;
        while (prefix < max && a[aStart + prefix] == b[bStart + prefix])
        {
            prefix++;
        }
        while (prefix > 0 && (SplitsPair(a, aStart + prefix) || SplitsPair(b, bStart + prefix)))
        {
            prefix--;
        }
        var suffix = 0;
        max -= prefix;
        while (suffix < max && a[aEnd - 1 - suffix] == b[bEnd - 1 - suffix])
        {
            suffix++;
        }
        while (suffix > 0 && (SplitsPair(a, aEnd - suffix) || SplitsPair(b, bEnd - suffix)))
        {
            suffix--;
        }
        return (prefix, suffix);
    }

    /// <summary>True when a boundary at <paramref name="index"/> falls inside a surrogate pair or a CRLF.</summary>
    private static bool SplitsPair(string text, int index) =>
        index > 0 && index < text.Length &&
        ((char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index])) || (text[index - 1] == '\r' && text[index] == '\n'));

    private readonly record struct Line(int Start, int End);

    private static List<Line> SplitLines(string text, int start, int end)
    {
        var lines = new List<Line>();
        var lineStart = start;
        for (var i = start; i < end; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < end && text[i + 1] == '\n')))
            {
                lines.Add(new Line(lineStart, i + 1));
                lineStart = i + 1;
            }
        }
        if (lineStart < end)
        {
            lines.Add(new Line(lineStart, end));
        }
        return lines;
    }

    /// <summary>Runs of differing lines as [oldFrom, oldTo) / [newFrom, newTo) line-index ranges, from an LCS table.</summary>
    private static IEnumerable<(int OldFrom, int OldTo, int NewFrom, int NewTo)> DiffLines(string oldText, List<Line> oldLines, string newText, List<Line> newLines)
    {
        var n = oldLines.Count;
        var m = newLines.Count;
        bool Same(int i, int j) => oldText.AsSpan(oldLines[i].Start, oldLines[i].End - oldLines[i].Start)
            .SequenceEqual(newText.AsSpan(newLines[j].Start, newLines[j].End - newLines[j].Start));

        // lcs[i, j] = length of the LCS of old[i..] and new[j..].
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = Same(i, j) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var oi = 0;
        var nj = 0;
        while (oi < n || nj < m)
        {
            if (oi < n && nj < m && Same(oi, nj))
            {
                oi++;
                nj++;
                continue;
            }
            var oldFrom = oi;
            var newFrom = nj;
            while ((oi < n || nj < m) && !(oi < n && nj < m && Same(oi, nj)))
            {
                if (nj < m && (oi == n || lcs[oi, nj + 1] >= lcs[oi + 1, nj]))
                {
                    nj++;
                }
                else
                {
                    oi++;
                }
            }
            yield return (oldFrom, oi, newFrom, nj);
        }
    }
}
