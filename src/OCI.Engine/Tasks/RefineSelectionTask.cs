using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tasks;

/// <summary>
/// "Refine selection…": replace the selected code following the user's instruction (the paper's human feedback).
/// When the user refines again with the returned conversation id, the prompt is a short follow-up in the same
/// conversation, so the model keeps the context of earlier rounds.
/// </summary>
public sealed class RefineSelectionTask : EditorRefineTask
{
    private readonly TextSpan _span;
    private readonly int _syntaxErrorsBefore;

    public RefineSelectionTask(string filePath, SourceText text, TextSpan selection, string instruction, CodeContext context, int maxFeedbackCharacters, bool continuesConversation)
        : base(filePath, text, context, maxFeedbackCharacters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        _span = selection;
        Instruction = instruction.Trim();
        ContinuesConversation = continuesConversation;
        _syntaxErrorsBefore = SyntaxErrors(text.ToString());
    }

    public string Instruction { get; }

    public override bool ContinuesConversation { get; }

    /// <summary>A refactoring that leaves unrelated failing tests as they were is what was asked for.</summary>
    public override bool AcceptsNoWorse => true;

    public override RefineKind Kind => RefineKind.RefineSelection;

    public override string Title => "selection";

    protected override string ReplyInstruction => ReplyFormat.ForSelection();

    /// <summary>
    /// The instruction, the selection in its context, the tests that exercise it and, when those tests fail before any
    /// change, their results marked as such (so the model neither ignores them nor chases unrelated failures).
    /// </summary>
    public override string InitialPrompt(FirstRequestFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (ContinuesConversation)
        {
            return $"The user asks for another change: {Instruction}\n\nThe selected code now reads:\n```csharp\n{CodeContextBuilder.Dedent(OriginalText.ToString(_span))}\n```\n\n{ReplyInstruction}";
        }
        return PromptWriter.Compose(
            $"The user selected code in {Path.GetFileName(FilePath)} and asks: {Instruction}\nRewrite the selection accordingly; the code around it stays as it is.",
            Context with { TargetText = OriginalText.ToString(_span) },
            "The selection:",
            ReplyInstruction,
            executionResult: facts.Baseline is { } baseline ? FailingBeforeTheChange(baseline) : null);
    }

    /// <summary>The baseline's results of the tests that exercise the selection, when any of them fails; null otherwise.</summary>
    private string? FailingBeforeTheChange(VerificationResult baseline)
    {
        if (baseline.Status != VerificationStatus.TestsFailed || Context.Tests.Count == 0) return null;
        var selectionTests = baseline.Tests.Where(t => Context.Tests.Any(r => t.Name.Contains(r.FullyQualifiedName, StringComparison.Ordinal))).ToList();
        if (!selectionTests.Any(t => t.Outcome == TestOutcome.Failed)) return null;
        var theirs = baseline with { Tests = selectionTests, Diagnostics = [], Message = null, Output = null };
        return "These tests that exercise the selection already fail before any change (the user's code as it is):\n"
            + FeedbackRenderer.Render(theirs, MaxFeedbackCharacters);
    }

    public override string? ApplyReply(string reply)
    {
        var code = CodeBlockExtractor.ExtractBest(reply, candidate => SyntaxErrors(CodeSplicer.ReplaceSpan(OriginalText, _span, candidate)) - _syntaxErrorsBefore);
        return code is null ? null : CodeSplicer.ReplaceSpan(OriginalText, _span, code);
    }

    private static int SyntaxErrors(string fileText) =>
        CSharpSyntaxTree.ParseText(fileText).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
}
