using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Fixes;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;

namespace OCI.Engine.Tasks;

/// <summary>
/// "Fix with OCI": make one diagnostic go away without new errors. Inside a member the model rewrites that member;
/// at file level (a missing using, a type-level error) it rewrites the file. Roslyn's own fixes are tried before the
/// model (as the loop's seeds); this task is what the model sees when none of them verified.
/// </summary>
public sealed class FixDiagnosticTask : EditorRefineTask
{
    private readonly MemberRewrite? _rewrite;
    private readonly string? _what;

    public FixDiagnosticTask(string filePath, SourceText text, MemberDeclarationSyntax? member, TargetDiagnostic diagnostic, TextSpan diagnosticSpan, CodeContext context, int maxFeedbackCharacters)
        : base(filePath, text, context, maxFeedbackCharacters)
    {
        Diagnostic = diagnostic;
        DiagnosticSpan = diagnosticSpan;
        if (member is not null)
        {
            _rewrite = new MemberRewrite(text, member, removeTodoComments: false);
            _what = MemberLocator.Describe(member);
        }
    }

    public TargetDiagnostic Diagnostic { get; }

    /// <summary>Where the diagnostic is in the original text (Roslyn's fixes are computed there).</summary>
    public TextSpan DiagnosticSpan { get; }

    public override TargetDiagnostic? TargetDiagnostic => Diagnostic;

    public override RefineKind Kind => RefineKind.FixDiagnostic;

    public override string Title => $"fix for {Diagnostic.Id} in {Path.GetFileName(FilePath)}";

    /// <summary>Roslyn's fixes for the diagnostic, and their chains until the file compiles.</summary>
    public override IFixSource? Fixes(Document document) => new RoslynFixSource(document, DiagnosticSpan, Diagnostic.Id);

    protected override string ReplyInstruction => _what is not null ? ReplyFormat.ForMember(_what) : ReplyFormat.ForFile(Path.GetFileName(FilePath));

    public override string InitialPrompt(FirstRequestFacts facts) => PromptWriter.Compose(
        $"Fix the compiler diagnostic {Diagnostic.Id} at line {Diagnostic.Line}: {Diagnostic.Message}\n"
            + (_what is not null ? $"It is in the {_what}. Change only that member." : "Change as little of the file as you can."),
        Context,
        _what is not null ? "The member with the problem:" : "The file:",
        ReplyInstruction,
        showTarget: _what is null || Context.EnclosingTypeText is null);

    public override string? ApplyReply(string reply)
    {
        if (_rewrite is not null) return _rewrite.Apply(reply);
        var file = CodeBlockExtractor.ExtractFile(reply);
        if (file is not null) return file;
        // A reply of only using directives (the usual fix for CS0246) is merged into the file.
        var usings = CodeBlockExtractor.UsingDirectives(reply);
        return usings.Count > 0 ? CodeSplicer.AddUsings(OriginalText.ToString(), usings) : null;
    }
}
