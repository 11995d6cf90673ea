using OCI.Workspace.Compilation;
using OCI.Workspace.SolutionState;
using OCI.Workspace.Verification;

namespace OCI.Workspace.KnownFailures;

/// <summary>
/// The differential check of fix diagnostic (<see cref="VerificationRequest.ExcuseFailuresThatFailedBefore"/>): a
/// failing test that reaches the change is excused only when it fails the same way on the last state of the user's
/// code that compiled. Known outcomes cannot say that: they may have been measured on code broken in the very way
/// being fixed.
/// </summary>
internal sealed class FailedBeforeCheck(
    OverlaidSolution state,
    Func<string> root,
    Func<List<FileChange>> savedFilesChanges,
    Func<VerificationRequest, IProgress<string>?, CancellationToken, Task<VerificationResult>> verifyCore)
{
    private readonly OverlaidSolution _state = state;
    private readonly Func<string> _root = root;
    private readonly Func<List<FileChange>> _savedFilesChanges = savedFilesChanges;
    private readonly Func<VerificationRequest, IProgress<string>?, CancellationToken, Task<VerificationResult>> _verifyCore = verifyCore;

    /// <summary>
    /// The differential check of fix diagnostic: when <paramref name="result"/> failed only tests it ran first (those that
    /// reach the change), runs just those tests on the last state of the user's code that compiled — the saved files,
    /// else the committed HEAD — and answers them when every one failed there too, with the same message. Null when the
    /// result has no such failures, no earlier state compiles, or any test passed there (then it is the candidate's fault).
    /// </summary>
    public async Task<(IReadOnlyList<string> Tests, KnownFailuresSource Source)?> FindAsync(
        VerificationResult result, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (result.Status != VerificationStatus.TestsFailed || result.WholeSuite || result.ReachingTests.Count == 0) return null;
        var failed = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).ToList();
        if (failed.Count == 0) return null;
        var state = await LastCompilingStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is not { } last) return null;
        progress?.Report($"{failed.Count} test(s) fail: running them on {(last.Source == KnownFailuresSource.SameFailureInSavedFiles ? "your saved files" : "the committed HEAD")} to see whether they failed before…");
        var filter = string.Join('|', failed.Select(t => "FullyQualifiedName~" + TestNameForFilter(t.Name)).Distinct(StringComparer.Ordinal));
        var before = await _verifyCore(new VerificationRequest(last.Changes, TestFilter: filter) { OnlyTheFilter = true }, progress, cancellationToken).ConfigureAwait(false);
        if (!before.Compiles) return null;
        foreach (var test in failed)
        {
            var then = before.Tests.FirstOrDefault(t => t.Name == test.Name);
            if (then is not { Outcome: TestOutcome.Failed } || !SameFailure(then.Message, test.Message)) return null;
        }
        return ([.. failed.Select(t => t.Name)], last.Source);

        // A parameterised case's arguments are not part of a filter the runners all take.
        static string TestNameForFilter(string name) => name.IndexOf('(', StringComparison.Ordinal) is var p and > 0 ? name[..p] : name;

        // The same assertion with the same values, or the same exception: the whole message (xunit's first line is only
        // "Assert.Equal() Failure: Values differ"; the expected and actual values follow), line endings and trailing
        // space aside.
        static bool SameFailure(string? a, string? b) => string.Equals(Normalized(a), Normalized(b), StringComparison.Ordinal);

        static string Normalized(string? message) =>
            string.Join('\n', (message ?? "").ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim();
    }

    /// <summary>
    /// The changes that take the workspace back to the last state of the user's code that compiled: the saved files
    /// when the editor's buffers are what breaks it, else the committed HEAD; null when neither compiles.
    /// </summary>
    private async Task<(IReadOnlyList<FileChange> Changes, KnownFailuresSource Source)?> LastCompilingStateAsync(CancellationToken cancellationToken)
    {
        if (_savedFilesChanges() is { Count: > 0 } saved && await CompilesWholeAsync(saved, cancellationToken).ConfigureAwait(false))
        {
            return (saved, KnownFailuresSource.SameFailureInSavedFiles);
        }
        var head = await CommittedHead.ChangesBackToHeadAsync(_root(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (head is { Count: > 0 } && await CompilesWholeAsync(head, cancellationToken).ConfigureAwait(false)) return (head, KnownFailuresSource.SameFailureAtCommittedHead);
        return null;
    }

    /// <summary>True when no project has a compile error with <paramref name="changes"/> applied.</summary>
    private async Task<bool> CompilesWholeAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var candidate = CandidateSolution.Fork(_state.Baseline.Solution, changes, cancellationToken);
        foreach (var project in candidate.Solution.Projects)
        {
            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (compilation is null || compilation.GetDiagnostics(cancellationToken).Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)) return false;
        }
        return true;
    }
}
