using OCI.Workspace.Feedback;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Engine.Text;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tasks;

/// <summary>
/// What the four editor tasks share: one target file, a reply applied to the file as it was when the task began
/// (each reply holds the complete member, selection or file, so rounds never stack), and feedback turns rendered by
/// the verification layer's <see cref="FeedbackRenderer"/>.
/// </summary>
public abstract class EditorRefineTask : IRefineTask
{
    private readonly int _maxFeedbackCharacters;

    protected EditorRefineTask(string filePath, SourceText originalText, CodeContext context, int maxFeedbackCharacters)
    {
        FilePath = filePath;
        OriginalText = originalText;
        Context = context;
        _maxFeedbackCharacters = maxFeedbackCharacters;
    }

    public abstract RefineKind Kind { get; }

    public string FilePath { get; }

    public SourceText OriginalText { get; }

    /// <summary>What the prompt was built from (tests, signatures, diagnostics).</summary>
    public CodeContext Context { get; }

    /// <summary>"method Add", "the selection", "CS0246 in Greeter.cs": for summaries and progress.</summary>
    public abstract string Title { get; }

    /// <summary>Tests to run first when verifying (dotnet test filter); null runs all.</summary>
    public virtual string? TestFilter => Context.TestFilter;

    /// <summary>For fix-diagnostic: the diagnostic that must be gone.</summary>
    public virtual TargetDiagnostic? TargetDiagnostic => null;

    public virtual string SystemPrompt => ReplyFormat.SystemPrompt;

    public abstract string InitialPrompt { get; }

    /// <summary>The reply-format sentence repeated at the end of every turn.</summary>
    protected abstract string ReplyInstruction { get; }

    /// <summary>The whole new text of <see cref="FilePath"/> for a reply; null when the reply holds no usable code.</summary>
    public abstract string? ApplyReply(string reply);

    public Candidate? CandidateFromReply(string reply)
    {
        var newText = ApplyReply(reply);
        if (newText is null) return null;
        var original = OriginalText.ToString();
        return new Candidate("model", "the model's " + Title, [new FileChange(FilePath, newText)], UnifiedDiff.CountChangedLines(original, newText));
    }

    public string FeedbackPrompt(Candidate candidate, VerificationResult result) =>
        PromptWriter.Feedback(FeedbackRenderer.Render(result, _maxFeedbackCharacters), ReplyInstruction);
}
