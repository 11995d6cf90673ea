using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>The one message a user reads after a task: what was verified, how many rounds, what still fails.</summary>
public static class OutcomeSummary
{
    public const string HowToConfigureModel =
        "To use a model, set oci.model.backend to \"llamaSharp\" with oci.model.path (a GGUF file), " +
        "or to \"openAI\" with oci.model.endpoint (an OpenAI-compatible server such as llama-server or Ollama).";

    /// <summary>"compiles, 5 tests pass", "1 error CS0029", "compiles, 3 of 5 tests pass (1 failed: AddTests.Negative)".</summary>
    public static string Describe(VerificationResult result)
    {
        switch (result.Status)
        {
            case VerificationStatus.Passed when result.PendingConfirmation is not null && !result.WholeSuite:
                // Offered after its impacted tests only: say exactly that, and what is still to come.
                return result.Tests.Count == 0
                    ? "compiles; no test references the change (the real build and all tests are confirming)"
                    : $"compiles, {Plural(result.PassedTests, "impacted test")} pass on the in-memory build (the real build and all tests are confirming)";
            case VerificationStatus.Passed when result.FailedTests > 0:
                // Verified "no worse": the only failing tests failed in the user's last compiling code too.
                return $"compiles, {Plural(result.PassedTests, "test")} pass{InMemory(result)}; no worse than before: {KnownFailures(result)}";
            case VerificationStatus.Passed:
                return result.Tests.Count == 0 ? "compiles (no tests ran)" : $"compiles, {Plural(result.PassedTests, "test")} pass{InMemory(result)}";
            case VerificationStatus.TestsFailed:
                var failed = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).Take(3).ToList();
                return $"compiles, {result.PassedTests} of {result.PassedTests + result.FailedTests} tests pass ({result.FailedTests} failed: {string.Join(", ", failed)})";
            case VerificationStatus.CompileErrors or VerificationStatus.BuildSystemError when BuildFailure.IsRealBuildFailure(result):
                return "the real build failed: " + BuildFailure.FirstError(result);
            default:
                return RefineLoop.Describe(result);
        }
    }

    public static string Compose(RefineLoopResult loop, VerificationResult baseline, string title, bool modelConfigured, string? modelProblem)
    {
        var rounds = loop.ModelRounds;
        var roundText = rounds == 0 ? "" : $" in {Plural(rounds, "round")}";
        var parts = new List<string>();
        if (loop.Verified && loop.Best is not null)
        {
            var source = loop.Best.Source == "model" ? $"Verified{roundText}" : $"Verified Roslyn's fix \"{loop.Best.Description}\"";
            parts.Add($"{source}: {Describe(loop.BestResult!)}.");
        }
        else if (loop.Best is not null && loop.StopReason == RefineStopReason.NoWorse)
        {
            parts.Add($"Done{roundText}: it compiles and is no worse than your code ({Describe(loop.BestResult!)}; tests that failed before still fail).");
        }
        else if (loop.Best is not null)
        {
            parts.Add($"Not fully verified{roundText}; the best candidate is better than your code: {Describe(loop.BestResult!)} (your code: {Describe(baseline)}).");
        }
        else
        {
            var last = loop.Rounds.LastOrDefault(r => r.Result is not null)?.Result ?? loop.Seeds.LastOrDefault().Result;
            // A candidate that got as far as the real build, which failed (often in another project), says more than a
            // later candidate's compile error: the user must learn that the build fails, whatever the candidate.
            if (last is not null && !BuildFailure.IsRealBuildFailure(last) && last.Status == VerificationStatus.CompileErrors
                && loop.Seeds.Select(s => s.Result).Concat(loop.Rounds.Select(r => r.Result)).LastOrDefault(r => r is not null && BuildFailure.IsRealBuildFailure(r)) is { } buildFailure)
            {
                last = buildFailure;
            }
            var tried = loop.Seeds.Count > 0 ? $"{Plural(loop.Seeds.Count, "Roslyn fix", "Roslyn fixes")} tried" + (rounds > 0 ? $", {Plural(rounds, "model round")}" : "") : Plural(rounds, "model round");
            parts.Add(loop.StopReason switch
            {
                RefineStopReason.NoCode => $"Stopped: the model's reply in round {rounds} held no code. Your code is unchanged.",
                _ when last is not null => $"Nothing verified for the {title} ({tried}): {(BuildFailure.IsRealBuildFailure(last) ? "" : "the last candidate ")}{Describe(last)}. Your code is unchanged ({Describe(baseline)}).",
                _ => $"Nothing to offer for the {title}. Your code is unchanged.",
            });
        }

        if (loop.StopReason == RefineStopReason.NoModel && !loop.Verified)
        {
            parts.Add(modelProblem is not null ? $"The model is not available: {modelProblem}" : modelConfigured ? "" : "No model is configured. " + HowToConfigureModel);
        }
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    /// <summary>Says so when the tests ran on the in-memory build and the real build is still to confirm it.</summary>
    private static string InMemory(VerificationResult result) =>
        result.PendingConfirmation is null ? "" : " on the in-memory build (the real build is confirming)";

    /// <summary>"2 tests that already failed still fail: A.B, C.D" (all of them up to 5, then a count).</summary>
    private static string KnownFailures(VerificationResult result)
    {
        var names = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).Select(t => t.Name).ToList();
        var shown = string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
        return $"{Plural(names.Count, "test")} that already failed still {(names.Count == 1 ? "fails" : "fail")}: {shown}";
    }

    private static string Plural(int count, string noun, string? plural = null) => $"{count} {(count == 1 ? noun : plural ?? noun + "s")}";
}
