using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace OCI.Workspace.Formatting;

/// <summary>
/// Writes a file's new text in the file's own <see cref="DocumentStyle"/>, touching only the lines that changed: an
/// inserted or rewritten line gets the file's line break and its indentation re-expressed in the file's unit (levels of
/// the inserted code's own step, so Roslyn's or the model's four spaces become one tab each), and every line the change
/// keeps stays byte for byte as it was, its line break included. A line whose only difference was its line break or its
/// indentation unit counts as kept, so a whole-file reply in LF and spaces changes only the lines it really changes.
/// The indentation of lines inside a multi-line string literal is its value and stays as written.
/// </summary>
public static class StyleNormalizer
{
    /// <summary>
    /// <paramref name="newText"/> in the style of <paramref name="oldText"/>'s file (<paramref name="style"/>); for a new
    /// file (<paramref name="oldText"/> null) every line takes the style.
    /// </summary>
    public static string Normalize(string? oldText, string newText, DocumentStyle style)
    {
        ArgumentNullException.ThrowIfNull(newText);
        ArgumentNullException.ThrowIfNull(style);
        if (oldText is not null && string.Equals(oldText, newText, StringComparison.Ordinal)) return newText;
        var oldLines = oldText is null ? [] : Lines(oldText);
        var newLines = Lines(newText);
        var oldContents = oldLines.Select(l => l.Content).ToList();

        // First pass: the lines the change really writes (compared without line breaks).
        var kept = LineDiff.KeptOldLines(oldContents, newLines.Select(l => l.Content).ToList());
        var written = Enumerable.Range(0, newLines.Count).Where(i => kept[i] < 0).ToList();
        if (written.Count > 0)
        {
            var step = SourceStep(written.Select(i => newLines[i].Content), style);
            var reindented = written
                .Select(i => (Index: i, Content: Reindent(newLines[i].Content, step, style)))
                .Where(r => !string.Equals(r.Content, newLines[r.Index].Content, StringComparison.Ordinal))
                .ToList();
            // Parsing for string literals costs a parse of the file: only when some line's indentation would change.
            var verbatim = reindented.Count > 0 ? LinesInsideStrings(newText, newLines) : [];
            foreach (var (i, content) in reindented)
            {
                if (!verbatim.Contains(i)) newLines[i] = newLines[i] with { Content = content };
            }
            // Second pass: a line that only differed in its indentation unit is now the old line again, and is kept.
            kept = LineDiff.KeptOldLines(oldContents, newLines.Select(l => l.Content).ToList());
        }

        var builder = new StringBuilder(newText.Length + newLines.Count);
        for (var i = 0; i < newLines.Count; i++)
        {
            var last = i == newLines.Count - 1;
            if (kept[i] >= 0)
            {
                var old = oldLines[kept[i]];
                // The old last line had no line break; it needs one when lines follow it now.
                builder.Append(old.Content).Append(old.Ending.Length == 0 && !last ? style.NewLine : old.Ending);
                continue;
            }
            var ending = !last ? style.NewLine : oldText is null ? (newLines[i].Ending.Length > 0 || style.FinalNewline ? style.NewLine : "") : style.FinalNewline ? style.NewLine : "";
            builder.Append(newLines[i].Content).Append(ending);
        }
        return builder.ToString();
    }

    /// <summary>One line's text and its line break ("" for a last line without one).</summary>
    private readonly record struct Line(string Content, string Ending, int Start);

    private static List<Line> Lines(string text)
    {
        var lines = new List<Line>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n' && text[i] != '\r') continue;
            var endingLength = text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            lines.Add(new Line(text[start..i], text.Substring(i, endingLength), start));
            i += endingLength - 1;
            start = i + 1;
        }
        if (start < text.Length) lines.Add(new Line(text[start..], "", start));
        return lines;
    }

    /// <summary>The width in spaces of one level in the written lines: their most common step, else the file's own width (four for tabs).</summary>
    private static int SourceStep(IEnumerable<string> written, DocumentStyle style)
    {
        var increases = new Dictionary<int, int>();
        var previous = (Tabs: -1, Spaces: 0);
        foreach (var line in written)
        {
            if (line.Trim().Length == 0) continue;
            var tabs = line.Length - line.TrimStart('\t').Length;
            var spaces = line[tabs..].Length - line[tabs..].TrimStart(' ').Length;
            if (tabs == previous.Tabs && spaces > previous.Spaces) increases[spaces - previous.Spaces] = increases.GetValueOrDefault(spaces - previous.Spaces) + 1;
            previous = (tabs, spaces);
        }
        return DocumentStyle.MostCommonStep(increases) ?? (style.UseTabs ? DocumentStyle.Default.IndentSize : style.IndentSize);
    }

    /// <summary>The line's leading tabs and spaces as levels (a tab, or <paramref name="step"/> spaces) in the file's unit; alignment spaces stay.</summary>
    internal static string Reindent(string line, int step, DocumentStyle style)
    {
        var indentLength = line.Length - line.TrimStart(' ', '\t').Length;
        if (indentLength == line.Length) return "";
        var levels = 0;
        var spaces = 0;
        foreach (var c in line.AsSpan(0, indentLength))
        {
            if (c == '\t') { levels += 1 + spaces / step; spaces = 0; }
            else spaces++;
        }
        levels += spaces / step;
        var alignment = new string(' ', spaces % step);
        var indentation = style.UseTabs ? new string('\t', levels) : new string(' ', levels * style.IndentSize);
        return indentation + alignment + line[indentLength..];
    }

    /// <summary>Lines that start inside a string literal spanning lines (verbatim, raw, interpolated): their whitespace is the string's.</summary>
    private static HashSet<int> LinesInsideStrings(string text, List<Line> lines)
    {
        var inside = new HashSet<int>();
        if (!text.Contains('"', StringComparison.Ordinal)) return inside;
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var spans = root.DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
                || t.IsKind(SyntaxKind.Utf8StringLiteralToken) || t.IsKind(SyntaxKind.Utf8MultiLineRawStringLiteralToken)
                || t.IsKind(SyntaxKind.InterpolatedStringTextToken))
            .Select(t => t.Span)
            .Concat(root.DescendantNodes().Where(n => n.IsKind(SyntaxKind.InterpolatedStringExpression)).Select(n => n.Span))
            .Where(span => text.AsSpan(span.Start, span.Length).IndexOfAny('\r', '\n') >= 0)
            .ToList();
        if (spans.Count == 0) return inside;
        for (var i = 0; i < lines.Count; i++)
        {
            var start = lines[i].Start;
            if (spans.Any(s => s.Start < start && start < s.End)) inside.Add(i);
        }
        return inside;
    }
}
