using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Refine;
using OCI.Models;
using OCI.Testing;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>Rounds with several candidates (<see cref="RefineLoopOptions.CandidatesPerRound"/>) on a scripted model.</summary>
public sealed class CandidateRoundTests
{
    private const string Right = "RIGHT";
    private const string OneError = "ONE-ERROR";
    private const string TwoErrors = "TWO-ERRORS";

    /// <summary>A reply is its own candidate; its text says how it verifies.</summary>
    private sealed class ReplyTask : IRefineTask
    {
        public string SystemPrompt => "system";
        public string InitialPrompt(FirstRequestFacts facts) => "task";
        public Candidate? CandidateFromReply(string reply) =>
            reply.Contains("NO-CODE", StringComparison.Ordinal) ? null : new Candidate(CandidateOrigin.Model, reply.Trim()[..Math.Min(12, reply.Trim().Length)], [new FileChange("F.cs", reply)]);
        public string FeedbackPrompt(Candidate candidate, VerificationResult result) => $"feedback on {candidate.Description}";
    }

    private sealed class ReplyVerifier : ICandidateVerifier
    {
        public List<string> Verified { get; } = [];

        public Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            var text = candidate.Changes[0].NewText;
            lock (Verified) Verified.Add(candidate.Description);
            var errors = text.Contains(Right, StringComparison.Ordinal) ? 0 : text.Contains(OneError, StringComparison.Ordinal) ? 1 : 2;
            return Task.FromResult(errors == 0
                ? new VerificationResult(VerificationStatus.Passed, [], [])
                : new VerificationResult(VerificationStatus.CompileErrors,
                    [.. Enumerable.Range(1, errors).Select(i => new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "e", "F.cs", i, 1))], []));
        }
    }

    [Fact]
    public async Task TheFirstVerifiedCandidateEndsTheRoundAndTheOthersAreCancelled()
    {
        // Candidates 1 and 3 would stream for a minute; candidate 2 is short and right.
        var endless = TwoErrors + new string('x', 20_000);
        var model = new ScriptedChatClient(endless, Right, endless) { ChunkDelay = TimeSpan.FromMilliseconds(50) };
        var conversation = new ChatConversation(model, "system");
        var verifier = new ReplyVerifier();
        var progress = new List<string>();

        var result = await new RefineLoop(NullLogger.Instance).RunAsync(new ReplyTask(), conversation, verifier,
            new RefineLoopOptions(3, CandidatesPerRound: 3), new SynchronousProgress<RefineProgress>(p => { lock (progress) progress.Add($"round {p.Round}: {p.Message}"); }), CancellationToken.None);

        Assert.Equal(RefineStopReason.Verified, result.StopReason);
        Assert.Equal(Right, result.Best!.Description);
        var round = Assert.Single(result.Rounds);
        var trial = Assert.Single(round.Candidates!); // the two long ones never completed
        Assert.Equal(1, trial.Index);
        Assert.Equal([Right], verifier.Verified);
        Assert.Contains("round 1: candidate 2/3 verified", progress);
        // The conversation keeps the chosen candidate as the model's turn.
        Assert.Equal(Right, conversation.Messages[^1].Text);
        Assert.Equal(3, model.Requests.Count);
    }

    [Fact]
    public async Task TheNextRoundsFeedbackIsAboutTheBestCandidate()
    {
        // Round 1: three candidates, none right, the second is best; round 2 (after its feedback) gets it right.
        var model = new ScriptedChatClient(
            new ScriptedReply(TwoErrors + " a"), new ScriptedReply(OneError + " b"), new ScriptedReply("NO-CODE c"),
            new ScriptedReply(Right, When: "feedback on " + OneError + " b"));
        var conversation = new ChatConversation(model, "system");
        var verifier = new ReplyVerifier();

        var result = await new RefineLoop(NullLogger.Instance).RunAsync(new ReplyTask(), conversation, verifier,
            new RefineLoopOptions(2, CandidatesPerRound: 3), null, CancellationToken.None);

        Assert.Equal(RefineStopReason.Verified, result.StopReason);
        Assert.Equal(2, result.Rounds.Count);
        var first = result.Rounds[0];
        Assert.Equal([0, 1, 2], first.Candidates!.Select(c => c.Index));
        Assert.Null(first.Candidates![2].Candidate); // no code in it
        Assert.Equal(OneError + " b", first.Candidate!.Description);
        // Round 2's request: the task, the best candidate as the model's reply, and the feedback on it.
        var secondRequest = model.Requests[3];
        Assert.Equal(["system", "task", OneError + " b", "feedback on " + OneError + " b"], secondRequest.Select(m => m.Text));
        Assert.Equal(ChatRole.Assistant, secondRequest[2].Role);
    }
}
