using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Editing;
using OCI.Engine.Refine;
using OCI.Engine.Verification;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>
/// A stub is not a fix: the stubs a candidate adds are found from its text, such a candidate ranks below every
/// unverified one that adds none, Fix diagnostic does not count it verified once a test reaches it, and the words say so.
/// </summary>
public sealed class StubCandidateTests
{
    private const string ItemListPath = "/ws/Inventory/ItemList.cs";

    private const string ItemList = """
        namespace Inventory;

        public sealed class ItemList
        {
            private readonly List<string> _items = [];

            public void Add(string item) => _items.Add(item);
        }
        """;

    /// <summary>What Roslyn's "Generate method 'ZqAdd'" writes.</summary>
    private static readonly string WithGeneratedZqAdd = ItemList.Replace(
        "    public void Add(string item) => _items.Add(item);\n",
        "    public void Add(string item) => _items.Add(item);\n\n    internal void ZqAdd(string item)\n    {\n        throw new NotImplementedException();\n    }\n",
        StringComparison.Ordinal);

    private static readonly VerificationResult CompileError = new(VerificationStatus.CompileErrors,
        [new CompilerDiagnostic("CS1061", DiagnosticSeverityLevel.Error, "'ItemList' does not contain a definition for 'ZqAdd'", "/ws/Inventory/Shelf.cs", 10, 15)], []);

    private static readonly VerificationResult ThreeThrow = new(VerificationStatus.TestsFailed, [],
        [.. new[] { "Put_AddsTheItem", "Put_KeepsTheOrder", "Put_AllowsTheSameItemTwice" }.Select(name => new TestCaseResult(
            "Inventory.Tests.ShelfTests." + name, TestOutcome.Failed, "System.NotImplementedException : The method or operation is not implemented."))]);

    private static Candidate GenerateZqAdd() => new Candidate(CandidateOrigin.Roslyn, "Generate method 'ZqAdd'", [new FileChange(ItemListPath, WithGeneratedZqAdd)], ChangeSize: 5)
    {
        AddedStubs = StubAddition.Find([new FileChange(ItemListPath, WithGeneratedZqAdd)], _ => ItemList),
    };

    private static Candidate NonStub(string description = "the model's fix", int changeSize = 40) =>
        new(CandidateOrigin.Model, description, [new FileChange("/ws/Inventory/Shelf.cs", "fixed")], changeSize);

    [Fact]
    public void The_stub_that_Generate_method_writes_is_found_and_named()
    {
        var stubs = StubAddition.Find([new FileChange(ItemListPath, WithGeneratedZqAdd)], _ => ItemList);

        Assert.Equal([new AddedStub(ItemListPath, "ZqAdd")], stubs);
    }

    [Fact]
    public void A_stub_the_code_already_had_a_removed_one_and_a_comment_are_not_added_stubs_a_qualified_throw_in_a_property_is()
    {
        Assert.Empty(StubAddition.Find([new FileChange(ItemListPath, WithGeneratedZqAdd)], _ => WithGeneratedZqAdd));
        Assert.Empty(StubAddition.Find([new FileChange(ItemListPath, ItemList)], _ => WithGeneratedZqAdd));
        Assert.Empty(StubAddition.Find([new FileChange(ItemListPath, ItemList + "\n// NotImplementedException is thrown elsewhere\n")], _ => ItemList));

        var property = ItemList.Replace("public void Add", "public int Count => throw new System.NotImplementedException();\n\n    public void Add", StringComparison.Ordinal);
        Assert.Equal([new AddedStub(ItemListPath, "Count")], StubAddition.Find([new FileChange(ItemListPath, property)], _ => ItemList));
        // A new file has no text before it.
        Assert.Equal([new AddedStub("/ws/New.cs", "ZqAdd")], StubAddition.Find([new FileChange("/ws/New.cs", WithGeneratedZqAdd)], _ => null));
    }

    [Fact]
    public void A_stub_ranks_below_a_candidate_without_one_with_the_same_result_even_as_the_smaller_change()
    {
        var stub = GenerateZqAdd();
        var fix = NonStub();

        Assert.True(CandidateRanking.Compare(fix, ThreeThrow, stub, ThreeThrow) < 0);
        Assert.True(CandidateRanking.Compare(stub, ThreeThrow, fix, ThreeThrow) > 0);
        // Between two of Roslyn's fixes too, where Roslyn's order would otherwise keep the first.
        Assert.True(CandidateRanking.Compare(stub, ThreeThrow, NonStub() with { Origin = CandidateOrigin.Roslyn }, ThreeThrow) > 0);
    }

    [Fact]
    public void A_stub_ranks_below_every_unverified_candidate_without_one_but_a_verified_result_still_ranks_first()
    {
        var stub = GenerateZqAdd();
        var compiling = ThreeThrow with { Status = VerificationStatus.TestsFailed };
        var passed = new VerificationResult(VerificationStatus.Passed, [], []);

        Assert.True(CandidateRanking.Compare(NonStub(), CompileError, stub, compiling) < 0);
        Assert.True(CandidateRanking.Compare(stub, passed, NonStub(), compiling) < 0);
    }

    [Fact]
    public async Task The_loop_keeps_a_fix_without_a_stub_over_Generate_method_with_the_same_result()
    {
        var fixes = new Fixes([GenerateZqAdd(), NonStub("Roslyn's other fix", 60) with { Origin = CandidateOrigin.Roslyn }], _ => ThreeThrow);

        var loop = await new RefineLoop(NullLogger.Instance).RunAsync(new NoTask(), conversation: null, fixes,
            new RefineLoopOptions(1, Baseline: CompileError, Fixes: fixes), null, CancellationToken.None);

        Assert.Equal("Roslyn's other fix", loop.Best!.Description);
        Assert.False(loop.Verified);
    }

    [Fact]
    public void For_Fix_diagnostic_a_stub_that_tests_reach_is_not_verified_even_when_they_pass()
    {
        var passedWithTests = new VerificationResult(VerificationStatus.Passed, [],
            [new TestCaseResult("ShelfTests.Empty", TestOutcome.Passed), new TestCaseResult("ShelfTests.Count", TestOutcome.Passed)]) { ImpactedTests = 2 };

        var judged = StubReachedVerifier.Judge(GenerateZqAdd(), passedWithTests);

        Assert.Equal(VerificationStatus.TestsFailed, judged.Status);
        Assert.Equal("compiles, 2 tests pass, but it adds a stub that throws NotImplementedException (ZqAdd), reached by 2 tests", ResultDescription.Of(judged));
        // No test reaches it: the stub compiles and nothing says otherwise; a candidate without a stub is left alone.
        var passedWithoutTests = new VerificationResult(VerificationStatus.Passed, [], []);
        Assert.Same(passedWithoutTests, StubReachedVerifier.Judge(GenerateZqAdd(), passedWithoutTests));
        Assert.Same(passedWithTests, StubReachedVerifier.Judge(NonStub(), passedWithTests));
    }

    [Fact]
    public async Task The_verifier_of_Fix_diagnostic_judges_what_the_workspace_answered()
    {
        var passedWithTests = new VerificationResult(VerificationStatus.Passed, [], [new TestCaseResult("ShelfTests.Empty", TestOutcome.Passed)]);
        var verifier = new StubReachedVerifier(new Fixes([], _ => passedWithTests));

        Assert.Equal(VerificationStatus.TestsFailed, (await verifier.VerifyAsync(GenerateZqAdd(), null, CancellationToken.None)).Status);
        Assert.Equal(VerificationStatus.Passed, (await verifier.VerifyAsync(NonStub(), null, CancellationToken.None)).Status);
    }

    [Fact]
    public void The_offer_is_titled_with_what_fails_and_the_summary_says_the_stub_is_offered_not_applied()
    {
        var stub = GenerateZqAdd();

        Assert.Equal("compiles; 3 tests fail: NotImplementedException from the generated ZqAdd", ResultDescription.WhatFails(stub, ThreeThrow));
        Assert.Equal("compiles; 3 tests fail: Inventory.Tests.ShelfTests.Put_AddsTheItem, Inventory.Tests.ShelfTests.Put_KeepsTheOrder, Inventory.Tests.ShelfTests.Put_AllowsTheSameItemTwice",
            ResultDescription.WhatFails(NonStub(), ThreeThrow));

        var loop = new RefineLoopResult(stub, ThreeThrow, [], RefineStopReason.NoModel, [(stub, ThreeThrow)]);
        var summary = OutcomeSummary.Compose(loop, CompileError, "fix for CS1061 in Shelf.cs", modelConfigured: false, modelProblem: null);

        Assert.StartsWith("Not verified: Roslyn's fix \"Generate method 'ZqAdd'\" compiles but adds a stub that throws NotImplementedException (ZqAdd), reached by 3 tests; compiles, 0 of 3 tests pass",
            summary, StringComparison.Ordinal);
        Assert.Contains("It is better than your code (1 error CS1061), so it is offered for you to confirm, not applied.", summary, StringComparison.Ordinal);
    }

    private sealed class Fixes(IReadOnlyList<Candidate> first, Func<Candidate, VerificationResult> results) : IFixSource, ICandidateVerifier
    {
        public Task<IReadOnlyList<Candidate>> FirstAsync(CancellationToken cancellationToken) => Task.FromResult(first);

        public Task<IReadOnlyList<Candidate>> FollowUpsAsync(Candidate candidate, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Candidate>>([]);

        public Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken) => Task.FromResult(results(candidate));
    }

    private sealed class NoTask : IRefineTask
    {
        public string SystemPrompt => "";
        public string InitialPrompt(FirstRequestFacts facts) => "";
        public Candidate? CandidateFromReply(string reply) => null;
        public string FeedbackPrompt(Candidate candidate, VerificationResult result) => "";
    }
}
