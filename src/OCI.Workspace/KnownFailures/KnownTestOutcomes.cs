using OCI.Workspace.Verification;

namespace OCI.Workspace.KnownFailures;

/// <summary>
/// Per test, its outcome in the last state of the user's workspace that compiled and ran its whole suite: the
/// failures the user already had, which a candidate must not be blamed for (real repositories have tests that fail on
/// some machines). Replaced as a whole by each newer measurement; thread-safe.
/// </summary>
internal sealed class KnownTestOutcomes
{
    private volatile Snapshot _current = new(new Dictionary<string, TestOutcome>(StringComparer.Ordinal), null);

    /// <summary>Where the outcomes come from; null before any measurement.</summary>
    public KnownFailuresSource? Source => _current.Source;

    public int Count => _current.Outcomes.Count;

    public void Record(IReadOnlyList<TestCaseResult> results, KnownFailuresSource source)
    {
        var outcomes = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        foreach (var result in results) outcomes[result.Name] = result.Outcome;
        _current = new Snapshot(outcomes, source);
    }

    /// <summary>The failed tests among <paramref name="failed"/> that failed in the known state too.</summary>
    public IReadOnlyList<string> AlreadyFailed(IEnumerable<string> failed)
    {
        var known = _current.Outcomes;
        return [.. failed.Where(name => known.TryGetValue(name, out var outcome) && outcome == TestOutcome.Failed).Distinct(StringComparer.Ordinal)];
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, TestOutcome> Outcomes, KnownFailuresSource? Source);
}
