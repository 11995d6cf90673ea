using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Engine.Editing;

/// <summary>
/// Puts extracted code into the user's file: replaces a declaration or a selection, re-indented to where it lands,
/// and adds the using directives the reply brought along. Works on text so the rest of the file stays byte-identical.
/// The spliced lines keep the reply's line breaks and inner indentation; the task then writes them in the file's own
/// style (<see cref="OCI.Workspace.Formatting.StyleNormalizer"/>, in <c>EditorRefineTask.CandidateFromReply</c>).
/// </summary>
public static class CodeSplicer
{
    /// <summary>Replaces <paramref name="target"/> (its doc comment and attributes' leading trivia stay) with <paramref name="newMember"/>.</summary>
    public static string ReplaceMember(SourceText text, MemberDeclarationSyntax target, string newMember, IReadOnlyList<string>? usings = null, bool removeTodoComments = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(target);
        var indentation = MemberLocator.IndentationAt(text, target.Span.Start);
        var replacement = Reindent(newMember.Trim(), indentation, indentFirstLine: false);
        var changes = new List<TextChange> { new(target.Span, replacement) };
        if (removeTodoComments)
        {
            var leading = target.GetLeadingTrivia();
            var kept = WithoutTodoComments(leading);
            if (kept != leading.ToFullString()) changes.Add(new TextChange(leading.FullSpan, kept));
        }
        var result = text.WithChanges(changes).ToString();
        return usings is { Count: > 0 } ? AddUsings(result, usings) : result;
    }

    /// <summary>Replaces <paramref name="span"/> with <paramref name="code"/>, indented like the selection's first line.</summary>
    public static string ReplaceSpan(SourceText text, TextSpan span, string code)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.Lines.GetLineFromPosition(span.Start);
        var indentation = MemberLocator.IndentationAt(text, span.Start);
        var startsInIndentation = string.IsNullOrWhiteSpace(text.ToString(TextSpan.FromBounds(line.Start, span.Start)));
        if (startsInIndentation) span = TextSpan.FromBounds(line.Start, span.End);
        var selected = text.ToString(span);
        var replacement = Reindent(code.Trim('\n', '\r'), indentation, indentFirstLine: startsInIndentation);
        if (selected.EndsWith('\n') && !replacement.EndsWith('\n')) replacement += "\n";
        return text.WithChanges(new TextChange(span, replacement)).ToString();
    }

    /// <summary>Adds <c>using X;</c> for each namespace the file does not import yet, after its last using directive.</summary>
    public static string AddUsings(string fileText, IEnumerable<string> namespaces)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(fileText).GetRoot();
        var present = root.Usings.Select(u => u.Name?.ToString()).ToHashSet(StringComparer.Ordinal);
        var missing = namespaces.Where(n => !present.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return fileText;
        var newline = fileText.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var block = string.Concat(missing.Select(n => $"using {n};{newline}"));
        if (root.Usings.Count > 0)
        {
            var end = root.Usings[^1].FullSpan.End;
            return fileText.Insert(end, block);
        }
        return fileText.Insert(0, block + newline);
    }

    /// <summary>Strips the code's common indentation and indents it at <paramref name="indentation"/>.</summary>
    internal static string Reindent(string code, string indentation, bool indentFirstLine)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        // The first line of an extracted member has lost its indentation; measure the rest.
        var measured = (indentFirstLine ? lines : lines.Skip(1)).Where(l => l.Trim().Length > 0).ToList();
        var common = measured.Count == 0 ? 0 : measured.Min(l => l.Length - l.TrimStart().Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var lineText = lines[i];
            if (lineText.Trim().Length == 0) { lines[i] = ""; continue; }
            if (i == 0 && !indentFirstLine) { lines[i] = lineText.TrimStart(); continue; }
            var strip = Math.Min(common, lineText.Length - lineText.TrimStart().Length);
            lines[i] = indentation + lineText[strip..];
        }
        return string.Join('\n', lines);
    }

    private static string WithoutTodoComments(SyntaxTriviaList trivia)
    {
        var kept = new List<SyntaxTrivia>();
        for (var i = 0; i < trivia.Count; i++)
        {
            var t = trivia[i];
            var isTodo = (t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)) && t.ToString().Contains("TODO", StringComparison.Ordinal);
            if (!isTodo) { kept.Add(t); continue; }
            // Drop the comment, the indentation before it and the line break after it.
            if (kept.Count > 0 && kept[^1].IsKind(SyntaxKind.WhitespaceTrivia)) kept.RemoveAt(kept.Count - 1);
            if (i + 1 < trivia.Count && trivia[i + 1].IsKind(SyntaxKind.EndOfLineTrivia)) i++;
        }
        return string.Concat(kept.Select(t => t.ToFullString()));
    }
}
