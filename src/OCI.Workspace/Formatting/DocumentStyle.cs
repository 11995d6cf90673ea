using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace OCI.Workspace.Formatting;

/// <summary>
/// How one file writes its text: line break, indentation (tabs or spaces, and how wide a level is) and whether it ends
/// with a line break. Every text the server writes into a file takes this style (<see cref="StyleNormalizer"/>), so an
/// edit never brings LF into a CRLF file or four spaces into a tab-indented one. The file's own text decides what it
/// shows (its lines are what the edit must match); .editorconfig decides what the text cannot show (a new or
/// one-line file, the width of a level); the rest is C#'s usual four spaces.
/// </summary>
public sealed record DocumentStyle(string NewLine, bool UseTabs, int IndentSize, int TabSize, bool FinalNewline)
{
    /// <summary>What a file with no evidence and no .editorconfig gets.</summary>
    public static DocumentStyle Default { get; } = new("\n", false, 4, 4, true);

    /// <summary>One level of indentation as this file writes it.</summary>
    public string IndentUnit => UseTabs ? "\t" : new string(' ', IndentSize);

    /// <summary>The style of <paramref name="text"/>, with <paramref name="configured"/> (.editorconfig) for what the text does not show.</summary>
    public static DocumentStyle Detect(string text, AnalyzerConfigOptions? configured = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var crlf = 0;
        var lf = 0;
        for (var i = text.IndexOf('\n', StringComparison.Ordinal); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            if (i > 0 && text[i - 1] == '\r') crlf++;
            else lf++;
        }

        var tabLines = 0;
        var spaceLines = 0;
        var increases = new Dictionary<int, int>();
        var previousSpaces = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            if (line[0] == '\t') tabLines++;
            // One space is a block comment's " *" or an alignment, not indentation.
            else if (line.StartsWith("  ", StringComparison.Ordinal)) spaceLines++;
            var spaces = line.Length - line.TrimStart(' ').Length;
            if (spaces > previousSpaces && line[0] == ' ') increases[spaces - previousSpaces] = increases.GetValueOrDefault(spaces - previousSpaces) + 1;
            previousSpaces = line[0] == '\t' ? 0 : spaces;
        }

        var newLine = crlf + lf > 0 ? (crlf > lf ? "\r\n" : "\n") : Configured(configured, "end_of_line") switch
        {
            "crlf" => "\r\n",
            "cr" => "\r",
            "lf" => "\n",
            _ => Default.NewLine,
        };
        var useTabs = tabLines + spaceLines > 0 ? tabLines > spaceLines : Configured(configured, "indent_style") switch
        {
            "tab" => true,
            "space" => false,
            _ => Default.UseTabs,
        };
        var tabSize = PositiveInt(Configured(configured, "tab_width")) ?? PositiveInt(Configured(configured, "indent_size")) ?? Default.TabSize;
        var configuredIndent = Configured(configured, "indent_size") == "tab" ? tabSize : PositiveInt(Configured(configured, "indent_size"));
        var indentSize = configuredIndent ?? (useTabs ? tabSize : MostCommonStep(increases) ?? Default.IndentSize);
        var finalNewline = text.Length > 0
            ? text.EndsWith('\n') || text.EndsWith('\r')
            : Configured(configured, "insert_final_newline") is not "false";
        return new DocumentStyle(newLine, useTabs, indentSize, tabSize, finalNewline);
    }

    /// <summary>The style of a document in its solution: its own text, and the .editorconfig that applies to it.</summary>
    public static async Task<DocumentStyle> OfAsync(Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        var configured = tree is null ? null : document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return Detect(text.ToString(), configured);
    }

    private static string? Configured(AnalyzerConfigOptions? options, string key) =>
        options is not null && options.TryGetValue(key, out var value) ? value.Trim().ToLowerInvariant() : null;

    private static int? PositiveInt(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 16 ? n : null;

    /// <summary>The most frequent step by which indentation grows from one line to the next (ties: the smaller); null when none.</summary>
    internal static int? MostCommonStep(IReadOnlyDictionary<int, int> increases)
    {
        var steps = increases.Where(i => i.Key is >= 1 and <= 8).ToList();
        if (steps.Count == 0) return null;
        var step = steps.OrderByDescending(i => i.Value).ThenBy(i => i.Key).First().Key;
        return step >= 2 ? step : null;
    }
}
