using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Verification;

namespace OCI.Engine.Refine;

/// <summary>
/// The part of the loop that needs no model: Roslyn's fixes, and when one leaves compile errors in the files it
/// changed (the same family, or an error that only appears once the first is fixed), the fixes for those errors on
/// top of it. A depth-first search in Roslyn's own order, bounded by depth, width and time, that stops at the first
/// chain that verifies; a chain is followed only while it leaves no more errors than the step before. The source's quick
/// fixes (the compilation's own answer for a name that does not bind) are checked first, while Roslyn's providers still
/// run: each is one they offer too (after, at most, declarations they would generate for the name), and after opening a
/// solution they take seconds to index its references.
/// </summary>
internal sealed class FixSearch(IFixSource source, FixSearchLimits limits, ICandidateVerifier verifier, ILogger logger)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Stopwatch _watch = new();

    /// <summary>Every candidate tried, with its result, in the order tried.</summary>
    public List<(Candidate Candidate, VerificationResult Result)> Tried { get; } = [];

    /// <param name="baseline">The user's code as checked (null: not checked), awaited only once the first fix's result is there to weigh.</param>
    /// <returns>True when a candidate verified (the search stops there).</returns>
    public async Task<bool> RunAsync(
        Func<Task<VerificationResult?>> baseline,
        Action<Candidate, VerificationResult> consider,
        Func<string, IProgress<string>?> progress,
        CancellationToken cancellationToken)
    {
        _watch.Restart();
        _baseline = baseline;
        var quick = await source.QuickAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in quick)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Key(candidate);
            if (!_seen.Add(key)) continue;
            var result = await VerifyAsync(candidate, depth: 1, consider, progress, cancellationToken).ConfigureAwait(false);
            if (result.Status == VerificationStatus.Passed) return true;
            // Not passed: Roslyn's list, which holds it too, takes its result and goes on from it (its follow-ups).
            _quickResults[key] = result;
        }
        var first = await source.FirstAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Roslyn offers {Count} fixes", first.Count);
        return await ExploreAsync(first, depth: 1, errorsBefore: null, consider, progress, cancellationToken).ConfigureAwait(false);
    }

    private Func<Task<VerificationResult?>> _baseline = () => Task.FromResult<VerificationResult?>(null);

    private bool OutOfTime => limits.TimeBudget > TimeSpan.Zero && _watch.Elapsed > limits.TimeBudget;

    private async Task<bool> ExploreAsync(
        IReadOnlyList<Candidate> candidates,
        int depth,
        int? errorsBefore,
        Action<Candidate, VerificationResult> consider,
        Func<string, IProgress<string>?> progress,
        CancellationToken cancellationToken)
    {
        foreach (var candidate in candidates.Take(Math.Max(1, limits.MaxWidth)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The first of Roslyn's fixes is always tried; the rest only within the time budget.
            if (Tried.Count > 0 && OutOfTime)
            {
                logger.LogInformation("The fix search stopped at its time budget ({Seconds} s) after {Count} candidates", limits.TimeBudget.TotalSeconds, Tried.Count);
                return false;
            }
            var key = Key(candidate);
            VerificationResult result;
            if (_quickResults.Remove(key, out var checkedBefore))
            {
                result = checkedBefore;
            }
            else
            {
                if (!_seen.Add(key)) continue; // two orders of the same fixes give the same text
                result = await VerifyAsync(candidate, depth, consider, progress, cancellationToken).ConfigureAwait(false);
            }
            // The first fixes are weighed against the user's code, checked beside them.
            errorsBefore ??= (await _baseline().ConfigureAwait(false))?.NewErrorCount ?? int.MaxValue;
            if (result.Status == VerificationStatus.Passed) return true;
            if (result.Status != VerificationStatus.CompileErrors || depth >= limits.MaxDepth || result.NewErrorCount > errorsBefore || OutOfTime) continue;
            var followUps = await source.FollowUpsAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (await ExploreAsync(followUps, depth + 1, result.NewErrorCount, consider, progress, cancellationToken).ConfigureAwait(false)) return true;
        }
        return false;
    }

    /// <summary>Quick fixes that did not pass, by key: Roslyn's list takes their results rather than checking them again.</summary>
    private readonly Dictionary<string, VerificationResult> _quickResults = new(StringComparer.Ordinal);

    private async Task<VerificationResult> VerifyAsync(
        Candidate candidate,
        int depth,
        Action<Candidate, VerificationResult> consider,
        Func<string, IProgress<string>?> progress,
        CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(candidate, progress(candidate.Description), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Fix candidate {Description} (depth {Depth}): {Status}, {Errors} errors", candidate.Description, depth, result.Status, result.NewErrorCount);
        // A result is weighed against the user's code, checked beside it: that check is awaited before it counts.
        await _baseline().ConfigureAwait(false);
        Tried.Add((candidate, result));
        consider(candidate, result);
        return result;
    }

    private static string Key(Candidate candidate) =>
        string.Join("\0", candidate.Changes.OrderBy(c => c.Path, StringComparer.Ordinal).Select(c => c.Path + "\0" + c.NewText));
}
