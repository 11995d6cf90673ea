namespace OCI.Workspace.Compilation;

/// <summary>
/// Maps line numbers of a file's new text back to its old text, so that a diagnostic that merely moved (because lines
/// were inserted above it) is recognised as the same one. The unchanged head and tail of the file map one-to-one
/// (the tail shifted by the change in line count); lines in the edited middle have no old counterpart.
/// </summary>
public sealed class LineMap
{
    private readonly int _prefix;
    private readonly int _suffix;
    private readonly int _oldCount;
    private readonly int _newCount;

    public static LineMap Identity { get; } = new(0, 0, 0, 0, identity: true);

    private readonly bool _identity;

    private LineMap(int prefix, int suffix, int oldCount, int newCount, bool identity = false)
    {
        _prefix = prefix;
        _suffix = suffix;
        _oldCount = oldCount;
        _newCount = newCount;
        _identity = identity;
    }

    public static LineMap Create(string oldText, string newText)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var max = Math.Min(oldLines.Length, newLines.Length);
        var prefix = 0;
        while (prefix < max && oldLines[prefix] == newLines[prefix]) prefix++;
        var suffix = 0;
        while (suffix < max - prefix && oldLines[^(suffix + 1)] == newLines[^(suffix + 1)]) suffix++;
        return new LineMap(prefix, suffix, oldLines.Length, newLines.Length);
    }

    /// <summary>The old 0-based line for a new 0-based line, or null when the line lies in the edited region.</summary>
    public int? ToOldLine(int newLine)
    {
        if (_identity) return newLine;
        if (newLine < _prefix) return newLine;
        if (newLine >= _newCount - _suffix) return newLine - (_newCount - _oldCount);
        return null;
    }

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
