using System.Globalization;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>
/// What a test run's outcome means for the model: the status and one message that says what happened — a timeout
/// (and the test that was running, when the runner knows it), an output flood (how much), a crash (exit code; the
/// output's tail follows in the feedback), what the sandbox denied (as the runtime reported it), and processes the
/// round left running (killed). Never the runner's own banner.
/// </summary>
public static class TestRunReport
{
    public static (VerificationStatus Status, string? Message) Describe(TestRunOutcome outcome, int timeoutSeconds)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var status = outcome.TimedOut ? VerificationStatus.TimedOut
            : outcome.OutputFloodCharacters is not null ? VerificationStatus.Crashed
            : outcome.Results.Any(r => r.Outcome == TestOutcome.Failed) ? VerificationStatus.TestsFailed
            : outcome.Crashed ? VerificationStatus.Crashed
            : VerificationStatus.Passed;
        var lines = new List<string>();
        if (outcome.TimedOut)
        {
            lines.Add($"the test run did not finish within {timeoutSeconds} s and was stopped");
        }
        else if (outcome.OutputFloodCharacters is { } written)
        {
            lines.Add($"the tests wrote too much output ({Size(written)} so far, more than the {Size(Processes.ProcessRunner.DefaultFloodLimit)} limit) and were stopped");
        }
        else if (outcome.Crashed)
        {
            lines.Add($"the test host crashed (exit code {outcome.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}); the end of its output follows");
        }
        lines.AddRange(outcome.RunMessages);
        if (outcome.Sandboxed && SandboxDenials.Describe(outcome) is { } denied) lines.Add(denied);
        if (outcome.Survivors.Count > 0)
        {
            lines.Add($"the tests left {outcome.Survivors.Count} process(es) running, killed after the round: {string.Join(", ", outcome.Survivors.Take(3))}");
        }
        return (status, lines.Count == 0 ? null : string.Join("\n", lines));
    }

    private static string Size(long characters) =>
        characters >= 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{characters / (1024.0 * 1024):0.#} M characters")
        : string.Create(CultureInfo.InvariantCulture, $"{characters} characters");
}
