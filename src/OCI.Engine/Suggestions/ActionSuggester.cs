using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Tasks;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Suggestions;

/// <summary>
/// The actions that apply at a range, from syntax and already-known diagnostics only (no model, no build, no
/// binding): codeAction runs on every cursor move and must answer in milliseconds.
/// </summary>
public static class ActionSuggester
{
    private const int MaxTitleMessage = 60;

    public static IReadOnlyList<ActionSuggestion> Suggest(
        string path,
        SyntaxNode root,
        SourceText text,
        LinePositionSpan range,
        IReadOnlyList<EditorDiagnostic> editorDiagnostics,
        IEnumerable<Diagnostic> knownDiagnostics,
        bool codeFixesReady)
    {
        var span = RefineTaskFactory.ToTextSpan(text, range);
        var suggestions = new List<ActionSuggestion>();

        var listed = new HashSet<(string?, int)>();
        foreach (var diagnostic in editorDiagnostics)
        {
            if (!listed.Add((diagnostic.Code, diagnostic.Range.Start.Line))) continue;
            suggestions.Add(new ActionSuggestion(RefineKind.FixDiagnostic, FixTitle(diagnostic.Code, diagnostic.Message), path, diagnostic.Range, diagnostic.Code,
                IsPreferred: codeFixesReady && diagnostic.Code is not null && CodeFixProviderCatalog.CanFix(diagnostic.Code)));
        }
        foreach (var diagnostic in knownDiagnostics)
        {
            if (!diagnostic.Location.IsInSource || diagnostic.Severity < DiagnosticSeverity.Warning) continue;
            var diagnosticSpan = diagnostic.Location.SourceSpan;
            if (!(diagnosticSpan.IntersectsWith(span) || diagnosticSpan.Contains(span.Start) || diagnosticSpan.End == span.Start)) continue;
            var lineSpan = diagnostic.Location.GetLineSpan().Span;
            if (!listed.Add((diagnostic.Id, lineSpan.Start.Line))) continue;
            suggestions.Add(new ActionSuggestion(RefineKind.FixDiagnostic, FixTitle(diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)), path, lineSpan, diagnostic.Id,
                IsPreferred: codeFixesReady && CodeFixProviderCatalog.CanFix(diagnostic.Id)));
        }

        var member = MemberLocator.MemberAt(root, span.Start);
        if (member is not null)
        {
            var name = CodeBlockExtractor.NameOf(member) ?? "member";
            var memberRange = text.Lines.GetLinePositionSpan(member.Span);
            if (StubDetector.IsStub(member))
            {
                suggestions.Add(new ActionSuggestion(RefineKind.Generate, $"Generate implementation of {name}", path, memberRange, IsPreferred: suggestions.Count == 0));
            }
            suggestions.Add(new ActionSuggestion(RefineKind.RunAndRefine, $"Run & refine {name} until tests pass", path, memberRange));
        }
        else if (MemberLocator.TypeAt(root, span.Start) is { } type && IsOnTypeHeader(type, span.Start))
        {
            suggestions.Add(new ActionSuggestion(RefineKind.RunAndRefine, $"Run & refine {type.Identifier.ValueText} until tests pass", path, text.Lines.GetLinePositionSpan(type.Span)));
        }

        if (!span.IsEmpty && span.Length > 0 && text.ToString(span).Trim().Length > 0)
        {
            suggestions.Add(new ActionSuggestion(RefineKind.RefineSelection, "Refine selection…", path, range));
        }
        return suggestions;
    }

    private static bool IsOnTypeHeader(BaseTypeDeclarationSyntax type, int position) =>
        position >= type.SpanStart && position <= type.OpenBraceToken.SpanStart || type.OpenBraceToken.IsMissing;

    private static string FixTitle(string? code, string message)
    {
        var shortMessage = message.Length <= MaxTitleMessage ? message : message[..(MaxTitleMessage - 1)] + "…";
        return code is null ? $"Fix with OCI: {shortMessage}" : $"Fix with OCI: {code} {shortMessage}";
    }
}
