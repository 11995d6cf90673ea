using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;

namespace OCI.Engine.Tasks;

/// <summary>"Generate implementation": write the body of a stub (throws NotImplementedException, empty, or TODO).</summary>
public sealed class GenerateTask : EditorRefineTask
{
    private readonly MemberRewrite _rewrite;
    private readonly string _what;
    private readonly string _where;

    public GenerateTask(string filePath, SourceText text, MemberDeclarationSyntax member, CodeContext context, int maxFeedbackCharacters)
        : base(filePath, text, context, maxFeedbackCharacters)
    {
        _rewrite = new MemberRewrite(text, member, removeTodoComments: true);
        _what = MemberLocator.Describe(member);
        _where = member.Parent is BaseTypeDeclarationSyntax type ? " of " + MemberLocator.Describe(type) : "";
    }

    public override RefineKind Kind => RefineKind.Generate;

    public override string Title => _what;

    /// <summary>The model is always asked: the user's code is checked meanwhile.</summary>
    public override BaselineTiming BaselineTiming => BaselineTiming.WhileModelWrites;

    protected override string ReplyInstruction => ReplyFormat.ForMember($"{_what} with its implementation");

    public override string InitialPrompt(FirstRequestFacts facts) => PromptWriter.Compose(
        $"Implement the {_what}{_where}. It is a stub now; write a complete, working implementation and keep its signature."
            + (Context.Tests.Count > 0 ? " The tests below must pass." : ""),
        Context,
        "The member to implement:",
        ReplyInstruction,
        showTarget: Context.EnclosingTypeText is null);

    public override string? ApplyReply(string reply) => _rewrite.Apply(reply);
}
