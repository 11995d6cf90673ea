namespace OCI.Workspace.Feedback;

/// <summary>Shortens long text keeping its head and tail: the start says what ran, the end says how it ended.</summary>
public static class Truncation
{
    public static string HeadAndTail(string text, int maxCharacters)
    {
        if (text.Length <= maxCharacters) return text;
        if (maxCharacters < 80) return text[..Math.Max(0, maxCharacters)];
        var marker = $"\n… [{{0}} characters elided] …\n";
        var budget = maxCharacters - (marker.Length + 8);
        var head = budget * 2 / 3;
        var tail = budget - head;
        var elided = text.Length - head - tail;
        return text[..head] + string.Format(System.Globalization.CultureInfo.InvariantCulture, marker, elided) + text[^tail..];
    }
}
