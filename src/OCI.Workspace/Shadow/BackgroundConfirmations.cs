using Microsoft.Extensions.Logging;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The real build and whole-suite run of candidates offered on their in-memory build
/// (<see cref="VerificationRequest.ConfirmLater"/>), in the background: each waits its turn behind every other check
/// (<see cref="ShadowPriority.Speculative"/>) and for the known outcomes (the whole suite is judged beside the failures the
/// user already had), then confirms. A later confirmation supersedes the running and waiting ones (it checks the newer
/// state, which holds their edits once applied): those end <see cref="VerificationResult.Superseded"/> without building.
/// A result names its confirmation (<see cref="ConfirmationId"/>); the confirmations are kept in <see cref="PendingConfirmations"/>.
/// </summary>
internal sealed class BackgroundConfirmations(Func<Task> knownOutcomesMeasured, ILogger logger) : IDisposable
{
    /// <summary>The confirming check: the candidate built by MSBuild and every test run, with these tests never excused.</summary>
    public delegate Task<VerificationResult> ConfirmingCheck(VerificationRequest request, IReadOnlySet<string> neverExcused, CancellationToken cancellationToken);

    private readonly PendingConfirmations _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private int _generation;
    private CancellationTokenSource? _running;

    /// <summary>Starts confirming <paramref name="offered"/> and returns its name; it never throws (a failure is a result).</summary>
    public ConfirmationId Start(VerificationRequest request, VerificationResult compiled, VerificationResult offered, ShadowGate gate, ConfirmingCheck check) =>
        _pending.Add(ConfirmAsync(request, compiled, offered, gate, check, Next()));

    public Task<VerificationResult>? Find(ConfirmationId id) => _pending.Find(id);

    /// <summary>Stops every confirmation (the host is closing): each ends with a result that says so.</summary>
    public void Stop() => _lifetime.Cancel();

    public void Dispose() => _lifetime.Dispose();

    /// <summary>A new confirmation: it supersedes the one running now (that one checks an older state) and those waiting.</summary>
    private int Next()
    {
        var generation = Interlocked.Increment(ref _generation);
        try
        {
            Volatile.Read(ref _running)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished meanwhile.
        }
        return generation;
    }

    private async Task<VerificationResult> ConfirmAsync(
        VerificationRequest request, VerificationResult compiled, VerificationResult offered, ShadowGate gate, ConfirmingCheck check, int generation)
    {
        // The tests that reach the change passed on the in-memory build: known outcomes never excuse them in the whole
        // suite (they may have been measured on code broken in the very way this candidate fixes).
        var neverExcused = offered.Tests.Select(t => t.Name).Where(n => !request.ExcusedFailures.Any(e => ReachingTests.IsResultOf(n, e))).ToHashSet(StringComparer.Ordinal);
        var cancellationToken = _lifetime.Token;
        try
        {
            await Task.Yield(); // the offer returns first
            try
            {
                await knownOutcomesMeasured().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "The known outcomes were not measured; the confirmation excuses nothing");
            }
            while (true)
            {
                // Speculative: a fix-it for what the user types now goes first; the confirmation starts over after it.
                using var lease = await gate.EnterAsync(ShadowPriority.Speculative, cancellationToken).ConfigureAwait(false);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Interrupted);
                Volatile.Write(ref _running, linked);
                try
                {
                    if (Volatile.Read(ref _generation) == generation)
                    {
                        var confirmed = await check(request with { TestFilter = null }, neverExcused, linked.Token).ConfigureAwait(false);
                        return confirmed with { ImpactedTests = offered.ImpactedTests, ReachingTests = offered.ReachingTests };
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested
                    && (lease.Interrupted.IsCancellationRequested || Volatile.Read(ref _generation) != generation))
                {
                    logger.LogDebug("A confirmation gave the shadow copy to a newer check or confirmation");
                }
                finally
                {
                    Interlocked.CompareExchange(ref _running, null, linked);
                }
                if (Volatile.Read(ref _generation) != generation)
                {
                    logger.LogInformation("A confirmation was superseded by a later one");
                    return offered with
                    {
                        Superseded = true, PendingConfirmation = null,
                        Message = "superseded: a later edit was offered, and its confirmation checks the newer state",
                    };
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("A confirmation ended unfinished: the workspace closed");
            return compiled with { Status = VerificationStatus.BuildSystemError, Message = "the workspace closed before the confirming build and test run finished" };
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The confirming build did not finish");
            return compiled with { Status = VerificationStatus.BuildSystemError, Message = "the confirming build and test run did not finish: " + e.Message };
        }
    }
}
