using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;

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

    public override string InitialPrompt(FirstRequestFacts facts) => ContinuesConversation
        ? $"The user asks for another change: {Instruction}\n\nThe selected code now reads:\n```csharp\n{CodeContextBuilder.Dedent(OriginalText.ToString(_span))}\n```\n\n{ReplyInstruction}"
        : PromptWriter.Compose(
            $"The user selected code in {Path.GetFileName(FilePath)} and asks: {Instruction}\nRewrite the selection accordingly; the code around it stays as it is.",
            Context with { TargetText = OriginalText.ToString(_span) },
            "The selection:",
            ReplyInstruction);

    public override string? ApplyReply(string reply)
    {
        var code = CodeBlockExtractor.ExtractBest(reply, candidate => SyntaxErrors(CodeSplicer.ReplaceSpan(OriginalText, _span, candidate)) - _syntaxErrorsBefore);
        return code is null ? null : CodeSplicer.ReplaceSpan(OriginalText, _span, code);
    }

    private static int SyntaxErrors(string fileText) =>
        CSharpSyntaxTree.ParseText(fileText).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
}
