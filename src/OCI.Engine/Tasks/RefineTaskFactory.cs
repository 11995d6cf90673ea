using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Prompts;
using OCI.Workspace.Formatting;

namespace OCI.Engine.Tasks;

/// <summary>A task built from a request, or the reason it cannot be built (shown to the user as the outcome).</summary>
public sealed record TaskCreation(EditorRefineTask? Task, string? Problem);

/// <summary>Turns a <see cref="RefineRequest"/> into the task for its kind, reading the target from the real code.</summary>
public static class RefineTaskFactory
{
    public static async Task<TaskCreation> CreateAsync(RefineRequest request, Document document, int maxFeedbackCharacters, bool continuesConversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(document);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return new TaskCreation(null, $"{document.FilePath} is not a C# file.");
        var path = document.FilePath ?? request.FilePath;
        var span = ToTextSpan(text, request.Range);
        var style = await DocumentStyle.OfAsync(document, cancellationToken).ConfigureAwait(false);

        switch (request.Kind)
        {
            case RefineKind.Generate:
            {
                var member = MemberLocator.MemberAt(root, span.Start);
                if (member is null) return new TaskCreation(null, "Put the cursor inside the method or property to implement.");
                var context = await CodeContextBuilder.BuildAsync(document, member, testsOf: null, cancellationToken).ConfigureAwait(false);
                return Created(new GenerateTask(path, text, member, context, maxFeedbackCharacters) { Style = style }, document, member, cancellationToken);
            }
            case RefineKind.RunAndRefine:
            {
                var target = (Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax?)MemberLocator.MemberAt(root, span.Start) ?? MemberLocator.TypeAt(root, span.Start);
                if (target is null) return new TaskCreation(null, "Put the cursor inside the member or type whose tests should pass.");
                var context = await CodeContextBuilder.BuildAsync(document, target, testsOf: null, cancellationToken).ConfigureAwait(false);
                return Created(new RunAndRefineTask(path, text, target, context, maxFeedbackCharacters) { Style = style }, document, target, cancellationToken);
            }
            case RefineKind.FixDiagnostic:
            {
                var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                var diagnostic = model is null ? null : FindDiagnostic(await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false), await model.SyntaxTree.GetTextAsync(cancellationToken).ConfigureAwait(false), span, request.DiagnosticId);
                if (diagnostic is null)
                {
                    return new TaskCreation(null, request.DiagnosticId is null
                        ? $"The compiler reports no problem at line {request.Range.Start.Line + 1} of {Path.GetFileName(path)}."
                        : $"The compiler no longer reports {request.DiagnosticId} in {Path.GetFileName(path)}; nothing to fix.");
                }
                var member = MemberLocator.MemberAt(root, diagnostic.Location.SourceSpan.Start);
                var context = await CodeContextBuilder.BuildAsync(document, (SyntaxNode?)member ?? root, testsOf: null, cancellationToken).ConfigureAwait(false);
                var target = new TargetDiagnostic(diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
                return Created(new FixDiagnosticTask(path, text, member, target, diagnostic.Location.SourceSpan, context, maxFeedbackCharacters) { Style = style }, document, member, cancellationToken);
            }
            case RefineKind.RefineSelection:
            {
                if (string.IsNullOrWhiteSpace(request.Instruction)) return new TaskCreation(null, "Refine selection needs an instruction: say what to change.");
                if (span.IsEmpty) return new TaskCreation(null, "Select the code to refine first.");
                var node = root.FindNode(span);
                var member = MemberLocator.MemberAt(root, span.Start);
                var context = await CodeContextBuilder.BuildAsync(document, node, testsOf: null, cancellationToken).ConfigureAwait(false);
                return Created(new RefineSelectionTask(path, text, span, request.Instruction, context, maxFeedbackCharacters, continuesConversation) { Style = style }, document, member, cancellationToken);
            }
            default:
                return new TaskCreation(null, $"Unknown task kind {request.Kind}.");
        }
    }

    /// <summary>
    /// The task, with the search for the tests that reach <paramref name="testsOf"/> started (none: the context has no
    /// tests): it runs while the engine checks the user's code and computes Roslyn's fixes.
    /// </summary>
    private static TaskCreation Created(EditorRefineTask task, Document document, SyntaxNode? testsOf, CancellationToken cancellationToken)
    {
        if (testsOf is not null)
        {
            var context = task.Context;
            task.SearchReachingTests(Task.Run(() => CodeContextBuilder.WithReachingTestsAsync(context, document, testsOf, cancellationToken), cancellationToken));
        }
        return new TaskCreation(task, null);
    }

    /// <summary>
    /// The diagnostic to fix: an error (else warning) at the range, with the requested id when given; when none is at
    /// the range, the first with that id in the file; with neither id nor range, the file's first error (the CLI's default).
    /// </summary>
    public static Diagnostic? FindDiagnostic(IEnumerable<Diagnostic> diagnostics, SourceText text, TextSpan span, string? diagnosticId)
    {
        var all = diagnostics
            .Where(d => d.Location.IsInSource && d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => diagnosticId is null || string.Equals(d.Id, diagnosticId, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(d => d.Severity)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
        var atRange = all.FirstOrDefault(d => d.Location.SourceSpan.IntersectsWith(span) || d.Location.SourceSpan.Contains(span.Start) || d.Location.SourceSpan.End == span.Start);
        if (atRange is not null) return atRange;
        if (diagnosticId is not null || span.Start == 0) return all.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) ?? all.FirstOrDefault();
        // The cursor is on a line with a diagnostic that does not touch the exact position.
        var line = text.Lines.GetLineFromPosition(span.Start).LineNumber;
        return all.FirstOrDefault(d => d.Location.GetLineSpan().StartLinePosition.Line == line);
    }

    /// <summary>A Roslyn span for an editor range, clamped to the text (an editor may be a keystroke ahead).</summary>
    public static TextSpan ToTextSpan(SourceText text, LinePositionSpan range)
    {
        int Position(LinePosition p)
        {
            if (text.Lines.Count == 0) return 0;
            var line = text.Lines[Math.Clamp(p.Line, 0, text.Lines.Count - 1)];
            return line.Start + Math.Clamp(p.Character, 0, line.End - line.Start);
        }
        var start = Position(range.Start);
        var end = Math.Max(start, Position(range.End));
        return TextSpan.FromBounds(start, end);
    }
}
