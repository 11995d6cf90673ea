using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>The one message the user reads names what really stopped the task.</summary>
public sealed class OutcomeSummaryTests
{
    private static readonly VerificationResult RealBuildFailedInAnotherProject = new(
        VerificationStatus.CompileErrors,
        [new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "The name 'missing' does not exist in the current context", "/shadow/Other/Report.cs", 12, 9)],
        [],
        Message: BuildFailure.Message);

    private static readonly VerificationResult UnrelatedCandidatesCompileError = new(
        VerificationStatus.CompileErrors,
        [new CompilerDiagnostic("CS1061", DiagnosticSeverityLevel.Error, "'string' does not contain a definition for 'Foo'", "/ws/Lib/Slug.cs", 3, 5)],
        []);

    [Fact]
    public void When_the_real_build_failed_the_summary_names_the_build_failure_not_a_later_candidates_compile_error()
    {
        var loop = new RefineLoopResult(null, null, [], RefineStopReason.NoModel,
        [
            (Candidate("using System.Text;"), RealBuildFailedInAnotherProject),
            (Candidate("using Unrelated.Namespace;"), UnrelatedCandidatesCompileError),
        ]);

        var summary = OutcomeSummary.Compose(loop, RealBuildFailedInAnotherProject, "fix", modelConfigured: false, modelProblem: null);

        Assert.Contains("the real build failed: Report.cs(12): CS0103: The name 'missing' does not exist", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("CS1061", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_build_failure_the_last_candidates_compile_error_is_named()
    {
        var loop = new RefineLoopResult(null, null, [], RefineStopReason.NoModel, [(Candidate("using Unrelated.Namespace;"), UnrelatedCandidatesCompileError)]);

        var summary = OutcomeSummary.Compose(loop, new VerificationResult(VerificationStatus.CompileErrors, [], []), "fix", modelConfigured: false, modelProblem: null);

        Assert.Contains("the last candidate 1 error CS1061", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_system_error_is_described_with_its_first_error()
    {
        var result = new VerificationResult(VerificationStatus.BuildSystemError,
            [new CompilerDiagnostic("MSB3202", DiagnosticSeverityLevel.Error, "The project file \"Gone.csproj\" was not found.", "/shadow/App/App.csproj", 0, 0)], [],
            Message: BuildFailure.Message);

        Assert.Equal("the real build failed: App.csproj: MSB3202: The project file \"Gone.csproj\" was not found.", ResultDescription.Of(result));
    }

    private static Candidate Candidate(string description) => new(CandidateOrigin.Roslyn, description, [new FileChange("/ws/Lib/Slug.cs", "")]);
}
