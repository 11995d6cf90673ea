namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>Applies LSP text edits (UTF-16 positions) to a text as an editor does, written independently of the server.</summary>
public static class TextEdits
{
    public static string Apply(string text, JsonArray edits)
    {
        var lineStarts = LineStarts(text);
        int Offset(JsonNode position)
        {
            var line = (int)position["line"]!;
            var character = (int)position["character"]!;
            Assert.InRange(line, 0, lineStarts.Count - 1);
            return lineStarts[line] + character;
        }
        var resolved = edits
            .Select(e => (Start: Offset(e!["range"]!["start"]!), End: Offset(e!["range"]!["end"]!), NewText: (string)e!["newText"]!))
            .OrderByDescending(e => e.Start)
            .ToList();
        foreach (var (start, end, newText) in resolved)
        {
            Assert.True(start <= end && end <= text.Length, $"edit range {start}..{end} outside a text of {text.Length} characters");
            text = text[..start] + newText + text[end..];
        }
        return text;
    }

    /// <summary>The (line, character) of the first occurrence of <paramref name="needle"/>.</summary>
    public static (int Line, int Character) PositionOf(string text, string needle)
    {
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{needle}' not found");
        var line = text[..index].Count(c => c == '\n');
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (line, index - lineStart);
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }
}
