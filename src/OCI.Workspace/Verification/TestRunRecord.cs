namespace OCI.Workspace.Verification;

/// <summary>
/// One test run a check made, in order: which runner ran it (<see cref="Testing.TestRunners"/>), whether on the fast
/// round's in-memory build or on MSBuild's output, whether only the tests that reach the change ran, and its counts.
/// What a check did is read from these (tests, benchmarks), never from its progress text.
/// </summary>
public sealed record TestRunRecord(string Runner, bool OnInMemoryBuild, bool Filtered, int Passed, int Failed, int Skipped)
{
    public static TestRunRecord Of(string runner, bool onInMemoryBuild, bool filtered, IReadOnlyList<TestCaseResult> results) => new(
        runner, onInMemoryBuild, filtered,
        results.Count(r => r.Outcome == TestOutcome.Passed),
        results.Count(r => r.Outcome == TestOutcome.Failed),
        results.Count(r => r.Outcome == TestOutcome.Skipped));
}
