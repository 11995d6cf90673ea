using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>The search through chained fixes inside <see cref="RefineLoop"/>: its order, its bounds, where it stops.</summary>
public sealed class FixSearchTests
{
    /// <summary>Each candidate's name is its chain ("A", "A+a"); follow-ups append a, b, c, d; results come from <see cref="Errors"/>.</summary>
    private sealed class NamedFixes(Func<string, int> errors, string[]? quick = null, Task? firstReady = null) : IFixSource, ICandidateVerifier
    {
        public List<string> Verified { get; } = [];

        public Task<IReadOnlyList<Candidate>> QuickAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Candidate>>([.. (quick ?? []).Select(Fix)]);

        public async Task<IReadOnlyList<Candidate>> FirstAsync(CancellationToken cancellationToken)
        {
            if (firstReady is not null) await firstReady.WaitAsync(cancellationToken);
            return [.. new[] { "A", "B", "C", "D" }.Select(Fix)];
        }

        public Task<IReadOnlyList<Candidate>> FollowUpsAsync(Candidate candidate, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Candidate>>([.. new[] { "a", "b", "c", "d" }.Select(s => Fix(candidate.Description + "+" + s))]);

        public Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            Verified.Add(candidate.Description);
            var count = errors(candidate.Description);
            return Task.FromResult(count == 0
                ? new VerificationResult(VerificationStatus.Passed, [], [])
                : new VerificationResult(VerificationStatus.CompileErrors, [.. Enumerable.Range(1, count).Select(i => new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "e", "F.cs", i, 1))], []));
        }

        /// <summary>A longer chain has a shorter text: "smaller change" must not be what orders them.</summary>
        private static Candidate Fix(string name) => new(CandidateOrigin.Roslyn, name, [new FileChange("F.cs", name)], ChangeSize: 10 - name.Length);
    }

    private sealed class NoTask : IRefineTask
    {
        public string SystemPrompt => "";
        public string InitialPrompt(FirstRequestFacts facts) => "";
        public Candidate? CandidateFromReply(string reply) => null;
        public string FeedbackPrompt(Candidate candidate, VerificationResult result) => "";
    }

    private static readonly VerificationResult TwoErrors = new(VerificationStatus.CompileErrors,
        [new CompilerDiagnostic("CS0246", DiagnosticSeverityLevel.Error, "e", "F.cs", 1, 1), new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "e", "F.cs", 2, 1)], []);

    private static Task<RefineLoopResult> SearchAsync(NamedFixes fixes, FixSearchLimits limits) =>
        new RefineLoop(NullLogger.Instance).RunAsync(new NoTask(), conversation: null, fixes, new RefineLoopOptions(1, Baseline: TwoErrors, Fixes: fixes, FixLimits: limits), null, CancellationToken.None);

    [Fact]
    public async Task TheSearchGoesDepthFirstInRoslynsOrderAndStopsAtTheFirstChainThatVerifies()
    {
        var fixes = new NamedFixes(name => name switch { "A+b" => 0, _ => 1 });

        var result = await SearchAsync(fixes, new FixSearchLimits(3, 3, TimeSpan.FromMinutes(1)));

        Assert.Equal(RefineStopReason.Verified, result.StopReason);
        Assert.Equal("A+b", result.Best!.Description);
        Assert.Equal(["A", "A+a", "A+a+a", "A+a+b", "A+a+c", "A+b"], fixes.Verified);
    }

    [Fact]
    public async Task DepthAndWidthBoundTheSearchAndTiesKeepRoslynsOrder()
    {
        var fixes = new NamedFixes(_ => 1);

        var result = await SearchAsync(fixes, new FixSearchLimits(2, 2, TimeSpan.FromMinutes(1)));

        Assert.Equal(RefineStopReason.NoModel, result.StopReason);
        Assert.Equal(["A", "A+a", "A+b", "B", "B+a", "B+b"], fixes.Verified);
        Assert.Equal("A", result.Best!.Description); // all leave one error: the first found, not the smallest change
    }

    [Fact]
    public async Task AChainThatLeavesMoreErrorsThanTheStepBeforeIsNotFollowed()
    {
        var fixes = new NamedFixes(name => name == "A" ? 3 : 2);

        await SearchAsync(fixes, new FixSearchLimits(2, 2, TimeSpan.FromMinutes(1)));

        Assert.Equal(["A", "B", "B+a", "B+b"], fixes.Verified);
    }

    [Fact]
    public async Task PastTheTimeBudgetOnlyTheFirstFixIsTried()
    {
        var fixes = new NamedFixes(_ => 1);

        await SearchAsync(fixes, new FixSearchLimits(3, 3, TimeSpan.FromTicks(1)));

        Assert.Equal(["A"], fixes.Verified);
    }

    [Fact]
    public async Task AQuickFixThatVerifiesEndsTheSearchBeforeRoslynsProvidersAnswer()
    {
        var never = new TaskCompletionSource();
        var fixes = new NamedFixes(name => name == "B" ? 0 : 1, quick: ["B"], firstReady: never.Task);

        var result = await SearchAsync(fixes, new FixSearchLimits(3, 3, TimeSpan.FromMinutes(1)));

        Assert.Equal(RefineStopReason.Verified, result.StopReason);
        Assert.Equal("B", result.Best!.Description);
        Assert.Equal(["B"], fixes.Verified);
    }

    [Fact]
    public async Task AQuickFixThatFailsIsNotCheckedAgainAndRoslynsOrderGoesOnFromIt()
    {
        var fixes = new NamedFixes(name => name == "B+a" ? 0 : 1, quick: ["B"]);

        var result = await SearchAsync(fixes, new FixSearchLimits(2, 2, TimeSpan.FromMinutes(1)));

        Assert.Equal("B+a", result.Best!.Description);
        // B once (quick), then Roslyn's list: A and its follow-ups, B's result reused and its follow-ups.
        Assert.Equal(["B", "A", "A+a", "A+b", "B+a"], fixes.Verified);
    }
}
