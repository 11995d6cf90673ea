using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Feedback;
using OCI.Engine.Editing;
using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Engine.Text;
using OCI.Workspace;
using OCI.Workspace.Formatting;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tasks;

/// <summary>When the user's code (the baseline) is checked.</summary>
public enum BaselineTiming
{
    /// <summary>Before any candidate: its result is part of the first request, or may end the task.</summary>
    BeforeModel,
    /// <summary>While the model writes its first candidate; the loop waits for it only to weigh the first result.</summary>
    WhileModelWrites,
    /// <summary>
    /// While the first of the task's fixes (Roslyn's) is checked; the loop waits for it only to weigh that result. A
    /// fix-it shown after a keystroke waits for one compile of the broken code less.
    /// </summary>
    WhileFixesAreChecked,
}

/// <summary>
/// What the editor tasks share: one target file, a reply applied to the file as it was when the task began (each reply
/// holds the complete member, selection or file, so rounds never stack), feedback turns rendered by the verification
/// layer's <see cref="FeedbackRenderer"/>, and the task's rules for the loop (when the baseline is checked, whether a
/// passing baseline ends the task, whether "no worse" is accepted, which fixes are tried before the model). The engine
/// runs every task the same way; a new action is a new subclass.
/// </summary>
public abstract class EditorRefineTask : IRefineTask
{
    private readonly int _maxFeedbackCharacters;

    protected EditorRefineTask(string filePath, SourceText originalText, CodeContext context, int maxFeedbackCharacters)
    {
        FilePath = filePath;
        OriginalText = originalText;
        _context = context;
        _maxFeedbackCharacters = maxFeedbackCharacters;
    }

    public abstract RefineKind Kind { get; }

    public string FilePath { get; }

    public SourceText OriginalText { get; }

    /// <summary>How the target file writes its text (line breaks, indentation): every reply is written in it.</summary>
    public DocumentStyle Style
    {
        get => _style ??= DocumentStyle.Detect(OriginalText.ToString());
        init => _style = value;
    }

    private DocumentStyle? _style;

    /// <summary>
    /// What the prompt is built from (tests, signatures, diagnostics). The tests that reach the target are in it once
    /// their search ended (<see cref="ContextWithTestsAsync"/>): the engine awaits that before it reads them (the first
    /// prompt, "nothing to do", the test filter of a check).
    /// </summary>
    public CodeContext Context => _reaching is { IsCompletedSuccessfully: true } searched ? searched.Result : _context;

    private readonly CodeContext _context;
    private Task<CodeContext>? _reaching;

    /// <summary>The search for the tests that reach the target, started by the factory (<see cref="CodeContextBuilder.WithReachingTestsAsync"/>).</summary>
    internal void SearchReachingTests(Task<CodeContext> search) => _reaching = search;

    /// <summary>The context with the tests that reach the target, once their search ended.</summary>
    public async Task<CodeContext> ContextWithTestsAsync(CancellationToken cancellationToken) =>
        _reaching is { } search ? await search.WaitAsync(cancellationToken).ConfigureAwait(false) : _context;

    /// <summary>"method Add", "the selection", "CS0246 in Greeter.cs": for summaries and progress.</summary>
    public abstract string Title { get; }

    /// <summary>Tests to run first when verifying (dotnet test filter); null runs all.</summary>
    public virtual string? TestFilter => Context.TestFilter;

    /// <summary>For fix-diagnostic: the diagnostic that must be gone.</summary>
    public virtual TargetDiagnostic? TargetDiagnostic => null;

    /// <summary>When the user's code is checked; before the model unless the task says otherwise.</summary>
    public virtual BaselineTiming BaselineTiming => BaselineTiming.BeforeModel;

    /// <summary>Accept (and stop at) a compiling candidate exactly as good as a non-passing baseline (see <see cref="RefineLoopOptions"/>).</summary>
    public virtual bool AcceptsNoWorse => false;

    /// <summary>
    /// A candidate that adds a stub (<c>throw new NotImplementedException()</c>) is not verified once a test reaches it
    /// (<see cref="Verification.StubReachedVerifier"/>): true where a stub is no answer (Fix diagnostic).
    /// </summary>
    public virtual bool StubReachedIsFailure => false;

    /// <summary>True when a request's conversation id continues an earlier conversation of this task.</summary>
    public virtual bool ContinuesConversation => false;

    /// <summary>Why there is nothing to do given the user's code as checked (the task then ends unrun); null: run.</summary>
    public virtual string? NothingToDo(VerificationResult baseline) => null;

    /// <summary>Candidates to verify before the model is asked (Roslyn's fixes); null: none.</summary>
    public virtual IFixSource? Fixes(Document document) => null;

    public virtual string SystemPrompt => ReplyFormat.SystemPrompt;

    public abstract string InitialPrompt(FirstRequestFacts facts);

    /// <summary>Characters of execution feedback per turn (the first request's included).</summary>
    protected int MaxFeedbackCharacters => _maxFeedbackCharacters;

    /// <summary>The reply-format sentence repeated at the end of every turn.</summary>
    protected abstract string ReplyInstruction { get; }

    /// <summary>The whole new text of <see cref="FilePath"/> for a reply; null when the reply holds no usable code.</summary>
    public abstract string? ApplyReply(string reply);

    public Candidate? CandidateFromReply(string reply)
    {
        var applied = ApplyReply(reply);
        if (applied is null) return null;
        var original = OriginalText.ToString();
        // The model writes LF and its own indentation: its lines take the file's, and the lines it kept stay as they were.
        var newText = StyleNormalizer.Normalize(original, applied, Style);
        IReadOnlyList<FileChange> changes = [new FileChange(FilePath, newText)];
        return new Candidate(CandidateOrigin.Model, "the model's " + Title, changes, UnifiedDiff.CountChangedLines(original, newText))
        {
            AddedStubs = StubAddition.Find(changes, _ => original),
        };
    }

    public Candidate? CandidateFromReply(string reply, Candidate? startingPoint)
    {
        var candidate = CandidateFromReply(reply);
        if (candidate is null || startingPoint is null) return candidate;
        var original = OriginalText.ToString();
        var changes = startingPoint.Changes.ToDictionary(c => c.Path, StringComparer.Ordinal);
        var rewritten = candidate.Changes.Single(c => c.Path == FilePath).NewText;
        // The reply was written against the user's code; Roslyn's fix (say, a using) stays unless the reply rewrote its lines.
        var merged = changes.TryGetValue(FilePath, out var fixedFile) ? ThreeWayMerge.Merge(original, fixedFile.NewText, rewritten) ?? rewritten : rewritten;
        // The merge joins its lines with one line break: the lines it kept get their own back.
        merged = StyleNormalizer.Normalize(original, merged, Style);
        changes[FilePath] = new FileChange(FilePath, merged);
        var order = startingPoint.Changes.Select(c => c.Path).Append(FilePath).Distinct(StringComparer.Ordinal);
        // The fix's stubs in other files stay; this file's are those of the merged text.
        var stubs = StubAddition.Find([changes[FilePath]], _ => original)
            .Concat(startingPoint.AddedStubs.Where(s => !string.Equals(s.Path, FilePath, StringComparison.Ordinal)));
        return candidate with { Changes = [.. order.Select(p => changes[p])], ChangeSize = UnifiedDiff.CountChangedLines(original, merged), AddedStubs = [.. stubs] };
    }

    public string FeedbackPrompt(Candidate candidate, VerificationResult result) =>
        PromptWriter.Feedback(FeedbackRenderer.Render(result, _maxFeedbackCharacters), ReplyInstruction);
}
