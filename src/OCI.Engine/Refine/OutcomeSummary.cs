using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>The one message a user reads after a task: what was verified, how many rounds, what still fails.</summary>
public static class OutcomeSummary
{
    public const string HowToConfigureModel =
        "To use a model, set oci.model.backend to \"llamaSharp\" with oci.model.path (a GGUF file), " +
        "or to \"openAI\" with oci.model.endpoint (an OpenAI-compatible server such as llama-server or Ollama).";

    public static string Compose(RefineLoopResult loop, VerificationResult baseline, string title, bool modelConfigured, string? modelProblem)
    {
        var rounds = loop.ModelRounds;
        var roundText = rounds == 0 ? "" : $" in {Plural(rounds, "round")}";
        var parts = new List<string>();
        if (loop.Verified && loop.Best is not null)
        {
            // Never "verified" on zero tests: a change no test reaches compiles, and the whole suite is what it passes.
            var onTests = loop.BestResult!.Tests.Count > 0;
            var source = loop.Best.Origin == CandidateOrigin.Model
                ? onTests ? $"Verified{roundText}" : $"Done{roundText}"
                : onTests ? $"Verified Roslyn's fix \"{loop.Best.Description}\"" : $"Roslyn's fix \"{loop.Best.Description}\"";
            parts.Add($"{source}: {ResultDescription.Of(loop.BestResult!)}.");
        }
        else if (loop.Best is not null && loop.StopReason == RefineStopReason.NoWorse)
        {
            parts.Add($"Done{roundText}: it compiles and is no worse than your code ({ResultDescription.Of(loop.BestResult!)}; tests that failed before still fail).");
        }
        else if (loop.Best is { } best && loop.BestResult is { } bestResult)
        {
            // Better than the user's code but not verified: offered for the user to confirm, never applied by itself.
            var name = best.IsRoslynFix ? $"Roslyn's fix \"{best.Description}\"" : best.Description;
            parts.Add(best.AddsStub && bestResult.Compiles
                ? $"Not verified{roundText}: {name} compiles but {Verification.StubReached.Describe(best, bestResult)}; {ResultDescription.Of(bestResult)}. It is better than your code ({ResultDescription.Of(baseline)}), so it is {Offered}."
                : $"Not verified{roundText}; the best candidate ({name}) is better than your code: {ResultDescription.Of(bestResult)} (your code: {ResultDescription.Of(baseline)}). It is {Offered}.");
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
                _ when last is not null => $"Nothing verified for the {title} ({tried}): {(BuildFailure.IsRealBuildFailure(last) ? "" : "the last candidate ")}{ResultDescription.Of(last)}. Your code is unchanged ({ResultDescription.Of(baseline)}).",
                _ => $"Nothing to offer for the {title}. Your code is unchanged.",
            });
        }

        if (loop.StopReason == RefineStopReason.NoModel && !loop.Verified)
        {
            parts.Add(modelProblem is not null ? $"The model is not available: {modelProblem}" : modelConfigured ? "" : "No model is configured. " + HowToConfigureModel);
        }
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    /// <summary>What becomes of an unverified candidate: the server asks, the CLI prints it (and --apply leaves it).</summary>
    public const string Offered = "offered for you to confirm, not applied";

    private static string Plural(int count, string noun, string? plural = null) => ResultDescription.Plural(count, noun, plural);
}
