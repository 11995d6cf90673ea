using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Fixes;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

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

    /// <summary>Nothing to do is never decided from the user's code (it has the diagnostic): its check runs beside the first fix's.</summary>
    public override BaselineTiming BaselineTiming => BaselineTiming.WhileFixesAreChecked;

    /// <summary>"Generate method" compiles, but a stub that a test reaches is no fix.</summary>
    public override bool StubReachedIsFailure => true;

    public override string Title => $"fix for {Diagnostic.Id} in {Path.GetFileName(FilePath)}";

    /// <summary>Roslyn's fixes for the diagnostic, and their chains until the file compiles.</summary>
    public override IFixSource? Fixes(Document document) => new RoslynFixSource(document, DiagnosticSpan, Diagnostic.Id);

    protected override string ReplyInstruction => _what is not null ? ReplyFormat.ForMember(_what) : ReplyFormat.ForFile(Path.GetFileName(FilePath));

    /// <summary>
    /// The diagnostic, the code, the real diagnostics of the file as compiled (the one to fix first, each with its source
    /// line) and, when Roslyn's fixes got part of the way, which fix is applied and what it left (the reply goes on top).
    /// </summary>
    public override string InitialPrompt(FirstRequestFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var diagnostics = facts.Baseline is { } baseline && FileDiagnostics(baseline) is { Count: > 0 } compiled ? compiled : Context.Diagnostics;
        string? partial = null;
        if (facts.PartialFix is { } fix && facts.PartialFixResult is { } left)
        {
            partial = $"Roslyn's fixes got part of the way: \"{fix.Description}\" is applied (your reply goes on top of it), and it leaves:\n"
                + FeedbackRenderer.Render(left, MaxFeedbackCharacters);
        }
        return PromptWriter.Compose(
            $"Fix the compiler diagnostic {Diagnostic.Id} at line {Diagnostic.Line}: {Diagnostic.Message}\n"
                + (_what is not null ? $"It is in the {_what}. Change only that member." : "Change as little of the file as you can."),
            Context with { Diagnostics = diagnostics },
            _what is not null ? "The member with the problem:" : "The file:",
            ReplyInstruction,
            showTarget: _what is null || Context.EnclosingTypeText is null,
            executionResult: partial);
    }

    /// <summary>The diagnostics of this file as compiled, the one to fix first, then in line order, each with its source line.</summary>
    private List<string> FileDiagnostics(VerificationResult baseline)
    {
        var inFile = baseline.Diagnostics
            .Where(d => d.Path is null || string.Equals(Path.GetFullPath(d.Path), Path.GetFullPath(FilePath), StringComparison.Ordinal))
            .Where(d => d.Severity >= DiagnosticSeverityLevel.Warning)
            .ToList();
        return [.. inFile
            .OrderBy(d => d.Id == Diagnostic.Id && d.Line == Diagnostic.Line && d.Message.StartsWith(Diagnostic.Message, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(d => d.Line).ThenBy(d => d.Column)
            .Take(12)
            .Select(d => $"line {d.Line}: {(d.Severity == DiagnosticSeverityLevel.Error ? "error" : "warning")} {d.Id}: {d.Message}"
                + (string.IsNullOrWhiteSpace(d.SourceLine) ? "" : "\n    " + d.SourceLine.Trim()))];
    }

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
