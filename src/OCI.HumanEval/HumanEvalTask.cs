using System.Text;
using OCI.Engine.Refine;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.HumanEval;

/// <summary>
/// A benchmark problem as a refine task: the same loop the editor runs, with the problem's prompt as the generate
/// request and the problem's tests as the verification. Feedback is compact and deterministic (no timings, no paths),
/// so a run is reproducible for a given model and seed.
/// </summary>
public sealed class HumanEvalTask(HumanEvalProblem problem, FeedbackMode feedback) : IRefineTask
{
    /// <summary>Compiler errors quoted per feedback turn; more only repeat the first ones' cause.</summary>
    public const int MaxErrorsQuoted = 5;

    public HumanEvalProblem Problem { get; } = problem ?? throw new ArgumentNullException(nameof(problem));

    public FeedbackMode Feedback { get; } = feedback;

    public string SystemPrompt =>
        "You are an expert C# programmer. You complete C# methods so that they are correct and compile. " +
        "Reply with the complete method (its signature and body) in one ```csharp code block. " +
        "You may add using directives and static helper methods; do not write a Main method or tests.";

    public string InitialPrompt(FirstRequestFacts facts) =>
        $"Complete the method `{Problem.EntryPoint}` of this C# program:\n```csharp\n{Problem.Prompt.TrimEnd()}\n```";

    public Candidate? CandidateFromReply(string reply)
    {
        var completion = CompletionExtractor.Extract(reply ?? "", Problem.EntryPoint, Problem.StopTokens, Problem.Prompt);
        if (completion is null) return null;
        var program = HumanEvalProgram.Compose(Problem, completion);
        var lines = completion.Body.Split('\n').Length + completion.Helpers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return new Candidate(CandidateOrigin.Model, Problem.Name, [new FileChange(HumanEvalProgram.VirtualPath(Problem), program)], lines);
    }

    public string FeedbackPrompt(Candidate candidate, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        switch (result.Status)
        {
            case VerificationStatus.CompileErrors:
            case VerificationStatus.BuildSystemError:
                AppendCompileErrors(text, result);
                break;
            case VerificationStatus.Passed:
                text.Append("The code compiles and the tests pass.\n");
                break;
            default:
                if (Feedback == FeedbackMode.Compile)
                {
                    // Compile-only feedback says nothing of hidden tests: the model can only re-check its own work.
                    text.Append("The code compiles. Check it once more against the task and its examples.\n");
                }
                else
                {
                    AppendExecutionResult(text, result);
                }
                break;
        }
        text.Append($"Reply with the corrected complete method `{Problem.Signature}` in one ```csharp code block.");
        return text.ToString();
    }

    private static void AppendCompileErrors(StringBuilder text, VerificationResult result)
    {
        var errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error)
            .DistinctBy(d => (d.Id, d.Line, d.Message))
            .ToList();
        if (errors.Count == 0)
        {
            text.Append("The code does not compile: ").Append(result.Message ?? "unknown error").Append('\n');
            return;
        }
        text.Append($"The code does not compile ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):\n");
        foreach (var error in errors.Take(MaxErrorsQuoted))
        {
            text.Append("- ").Append(error.Id).Append(": ").Append(error.Message);
            if (!string.IsNullOrWhiteSpace(error.SourceLine)) text.Append(" in `").Append(error.SourceLine.Trim()).Append('`');
            text.Append('\n');
        }
        if (errors.Count > MaxErrorsQuoted) text.Append($"- … and {errors.Count - MaxErrorsQuoted} more\n");
    }

    private static void AppendExecutionResult(StringBuilder text, VerificationResult result)
    {
        var failed = result.Tests.FirstOrDefault(t => t.Outcome == TestOutcome.Failed);
        var passedBefore = result.PassedTests;
        text.Append("Execution result: ");
        switch (result.Status)
        {
            case VerificationStatus.TimedOut:
                text.Append("the tests did not finish in time (an endless loop?).\n");
                break;
            case VerificationStatus.TestsFailed when failed is not null:
                text.Append("this test failed:\n    ").Append(failed.Name).Append('\n');
                text.Append($"({passedBefore} of {result.Tests.Count} tests passed before it.)\n");
                break;
            case VerificationStatus.Crashed when failed is not null:
                text.Append("this test threw ").Append(failed.Message ?? "an exception").Append(":\n    ").Append(failed.Name).Append('\n');
                text.Append($"({passedBefore} of {result.Tests.Count} tests passed before it.)\n");
                break;
            default:
                text.Append(result.Message ?? result.Status.ToString()).Append('\n');
                break;
        }
    }
}
