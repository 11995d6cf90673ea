using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Engine.Tests.Support;
using OCI.Engine.Verification;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>
/// The tests that reach a task's target are searched while the user's code is checked (seconds before the caller index
/// is built): a check that does not compile needs none of them and is answered at once; one that compiles runs them,
/// and so waits for the search.
/// </summary>
public sealed class ReachingTestsPendingTests
{
    [Fact]
    public async Task A_candidate_that_does_not_compile_is_answered_while_the_reaching_tests_are_searched_and_one_that_compiles_runs_them()
    {
        await using var host = Fixture.CreateHost(stubbedAdd: false);
        var path = host.LibraryPath("Calculator.cs");
        var searching = new TaskCompletionSource<CodeContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var verifier = new WorkspaceCandidateVerifier(host, new VerificationSettings(), searching.Task, target: null, confirmLater: true);
        var text = host.GetText(path)!;

        var broken = Candidate(path, text.Replace("return a + b;", "return a + b", StringComparison.Ordinal));
        var answered = await verifier.VerifyAsync(broken, null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(VerificationStatus.CompileErrors, answered.Status);
        Assert.Empty(host.TestedRequests);

        var compiling = verifier.VerifyAsync(Candidate(path, text.Replace("return a + b;", "return b + a;", StringComparison.Ordinal)), null, CancellationToken.None);
        // It compiles: its check needs the tests that reach the target, and waits for them.
        await Task.Delay(200);
        Assert.False(compiling.IsCompleted);
        var context = new CodeContext(path, "", null, [], [], []) { ReferencingTests = ["Lib.Tests.CalculatorTests.AddsTwoNumbers"] };
        searching.SetResult(context);
        var passed = await compiling.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(VerificationStatus.Passed, passed.Status);
        Assert.Equal("FullyQualifiedName~Lib.Tests.CalculatorTests.AddsTwoNumbers", Assert.Single(host.TestedRequests).TestFilter);
    }

    private static Candidate Candidate(string path, string text) =>
        new(CandidateOrigin.Model, "a candidate", [new FileChange(path, text)], 1);
}
