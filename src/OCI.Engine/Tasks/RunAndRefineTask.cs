using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tasks;

/// <summary>"Run &amp; refine until tests pass": change a member or a whole type until it compiles and its tests pass.</summary>
public sealed class RunAndRefineTask : EditorRefineTask
{
    private readonly MemberRewrite _rewrite;
    private readonly string _what;
    private readonly bool _isType;

    public RunAndRefineTask(string filePath, SourceText text, MemberDeclarationSyntax target, CodeContext context, int maxFeedbackCharacters)
        : base(filePath, text, context, maxFeedbackCharacters)
    {
        _rewrite = new MemberRewrite(text, target, removeTodoComments: false);
        _what = MemberLocator.Describe(target);
        _isType = target is BaseTypeDeclarationSyntax;
    }

    public override RefineKind Kind => RefineKind.RunAndRefine;

    public override string Title => _what;

    /// <summary>
    /// Ends the task before the model is asked only when the tests that reach the target pass (they are never excused:
    /// they are what the user asked to make pass). When no test reaches it, a passing suite says nothing about it, and
    /// the summary says exactly that.
    /// </summary>
    public override string? NothingToDo(VerificationResult baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Status != VerificationStatus.Passed) return null;
        return Context.ReferencingTests.Count == 0
            ? $"No test reaches the {Title}; it compiles and the whole suite passes ({ResultDescription.Of(baseline)}), so there is nothing to refine it against. Write a test that calls it, or use Refine selection with an instruction."
            : $"The {Title} already compiles and the {ResultDescription.Plural(Context.ReferencingTests.Count, "test")} that reach it pass ({ResultDescription.Of(baseline)}); nothing to refine."
                + (Context.ReferencingTestsBounded ? " (The search for tests that reach it stopped at its bound: others may reach it too.)" : "");
    }

    protected override string ReplyInstruction => _isType
        ? $"Reply with exactly one ```csharp code block holding the complete {_what} with all its members, and nothing else."
        : ReplyFormat.ForMember(_what);

    /// <summary>
    /// The code, its tests, and what happened when they ran: the baseline's execution result exactly as the later
    /// feedback turns render it (compile errors first, failing tests with message, expected/actual and location).
    /// </summary>
    public override string InitialPrompt(FirstRequestFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var executionResult = facts.Baseline is { } baseline
            ? "The code as it is now was built and its tests were run.\n" + FeedbackRenderer.Render(baseline, MaxFeedbackCharacters)
            : null;
        return PromptWriter.Compose(
            $"Change the {_what} so that the code compiles and the tests pass. Keep its public signature."
                + (Context.Tests.Count == 0 ? " No test reaches it; the whole test suite will run." : ""),
            // The execution result lists the compile errors itself (first, with their lines): not twice.
            executionResult is null ? Context : Context with { Diagnostics = [] },
            _isType ? "The type to change:" : "The member to change:",
            ReplyInstruction,
            showTarget: _isType || Context.EnclosingTypeText is null,
            executionResult: executionResult);
    }

    public override string? ApplyReply(string reply) => _rewrite.Apply(reply);
}
