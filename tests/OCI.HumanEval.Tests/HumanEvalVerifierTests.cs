using Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.HumanEval;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.HumanEval.Tests;

/// <summary>The harness grades real programs correctly: right answers pass, wrong ones fail, hostile ones cannot pass.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(BenchmarkCollection.Name)]
public sealed class HumanEvalVerifierTests(BenchmarkFixture fixture)
{
    private Task<VerificationResult> GradeAsync(string entryPoint, string reply, HumanEvalVerifier? verifier = null)
    {
        var task = new HumanEvalTask(fixture.Problem(entryPoint), FeedbackMode.Tests);
        var candidate = task.CandidateFromReply(reply) ?? throw new InvalidOperationException("no candidate in the reply");
        return (verifier ?? fixture.Verifier).VerifyAsync(candidate, null, CancellationToken.None);
    }

    [Theory]
    [InlineData("HasCloseElements", Solutions.HasCloseElementsCorrect)]
    [InlineData("GreatestCommonDivisor", Solutions.GcdCorrectAsClass)]
    [InlineData("TruncateNumber", Solutions.TruncateNumberCorrectRaw)]
    [InlineData("Strlen", Solutions.StrlenCorrectExpression)]
    [InlineData("BelowZero", Solutions.BelowZeroCorrectBody)]
    [InlineData("FilterBySubstring", Solutions.FilterBySubstringCorrect)]
    [InlineData("SumProduct", Solutions.SumProductCorrect)]
    public async Task Correct_solutions_pass(string entryPoint, string reply)
    {
        var result = await GradeAsync(entryPoint, reply);
        Assert.True(result.Status == VerificationStatus.Passed, $"{result.Status}: {result.Message}\n{string.Join("\n", result.Diagnostics)}\n{result.Output}");
        Assert.True(result.PassedTests > 0);
        Assert.Equal(0, result.FailedTests);
    }

    [Fact]
    public async Task A_wrong_solution_fails_the_assertion_it_breaks()
    {
        var result = await GradeAsync("HasCloseElements", Solutions.HasCloseElementsWrong);
        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
        var failed = Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed);
        Assert.StartsWith("Debug.Assert(HasCloseElements(", failed.Name, StringComparison.Ordinal);
        Assert.Contains("(0.05f)) == (false)", failed.Name, StringComparison.Ordinal); // the second assert: the first expects true
        Assert.Equal(1, result.PassedTests);
    }

    [Fact]
    public async Task A_compile_error_is_reported_with_its_id_and_line()
    {
        var result = await GradeAsync("TruncateNumber", Solutions.TruncateNumberDoesNotCompile);
        Assert.Equal(VerificationStatus.CompileErrors, result.Status);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("CS0266", error.Id); // double to float
        Assert.Contains("Math.Floor(number)", error.SourceLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_in_the_candidate_is_a_crash_on_its_test()
    {
        var result = await GradeAsync("SumProduct", Solutions.SumProductThrows); // Aggregate of an empty list throws
        Assert.Equal(VerificationStatus.Crashed, result.Status);
        Assert.Contains("InvalidOperationException", result.Message, StringComparison.Ordinal);
        Assert.Contains("new List<long>()", Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_loop_times_out_and_the_next_problem_still_runs()
    {
        using var verifier = new HumanEvalVerifier(new HumanEvalVerifierOptions(TimeSpan.FromSeconds(1)), NullLogger.Instance);
        var looping = await GradeAsync("Strlen", Solutions.StrlenLoopsForever, verifier);
        Assert.Equal(VerificationStatus.TimedOut, looping.Status);
        var next = await GradeAsync("Strlen", Solutions.StrlenCorrectExpression, verifier);
        Assert.Equal(VerificationStatus.Passed, next.Status);
    }

    [Fact]
    public async Task Exiting_with_zero_before_the_tests_does_not_pass()
    {
        var result = await GradeAsync("Strlen", Solutions.StrlenExitsEarly);
        Assert.Equal(VerificationStatus.Crashed, result.Status);
        Assert.Contains("before all its tests ran", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_helper_class_named_Debug_cannot_swallow_the_asserts()
    {
        var result = await GradeAsync("Strlen", Solutions.StrlenShadowsDebug);
        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
    }

    [Fact]
    public async Task Deleting_files_does_not_pass_or_reach_outside_the_sandbox()
    {
        var outside = Directory.CreateTempSubdirectory("oci-bench-canary-");
        var sandboxRoot = Directory.CreateTempSubdirectory("oci-bench-sandboxes-");
        try
        {
            var canary = Path.Combine(outside.FullName, "results.jsonl");
            await File.WriteAllTextAsync(canary, "keep me");
            using var verifier = new HumanEvalVerifier(new HumanEvalVerifierOptions(TimeSpan.FromSeconds(5), sandboxRoot.FullName), NullLogger.Instance);
            var result = await GradeAsync("Strlen", Solutions.StrlenDeletesFiles, verifier);
            Assert.NotEqual(VerificationStatus.Passed, result.Status);
            Assert.True(File.Exists(canary));
            Assert.Equal(VerificationStatus.Passed, (await GradeAsync("Strlen", Solutions.StrlenCorrectExpression, verifier)).Status);
            Assert.Empty(Directory.GetFileSystemEntries(sandboxRoot.FullName)); // each run's sandbox is removed
        }
        finally
        {
            outside.Delete(recursive: true);
            sandboxRoot.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Every_problem_compiles_with_a_default_body_and_none_passes()
    {
        // The harness's own sanity check on a sample of problems: `return default;` compiles everywhere and passes nowhere.
        foreach (var problem in fixture.Problems.Where((_, i) => i % 40 == 0))
        {
            var task = new HumanEvalTask(problem, FeedbackMode.Tests);
            var result = await fixture.Verifier.VerifyAsync(task.CandidateFromReply(HarnessOverhead.DefaultBody)!, null, CancellationToken.None);
            Assert.True(result.Compiles, $"{problem.Name}: {string.Join("; ", result.Diagnostics)}");
            Assert.NotEqual(VerificationStatus.Passed, result.Status);
        }
    }
}
