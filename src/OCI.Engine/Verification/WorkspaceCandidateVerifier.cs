using OCI.Engine.Prompts;
using OCI.Engine.Refine;
using OCI.Engine.Tasks;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Verification;

/// <summary>
/// Verifies editor candidates against the user's workspace through one request → result contract
/// (<see cref="IWorkspaceHost.VerifyAsync"/>). Every compiler error in the files the candidate changes counts (not only
/// new ones), and for fix-diagnostic the target diagnostic must be gone: this makes "the user's code as it is" (the
/// baseline) and the candidates comparable by the same measure, and the workspace checks it on the candidate's own
/// compilation before anything is built. Then the workspace runs the real check (compile with dependents, build, the
/// tests that exercise the target).
/// </summary>
/// <param name="confirmLater">
/// Candidates (never the baseline) may be offered on their in-memory build once the impacted tests and the whole suite
/// pass; the real build follows as the confirmation <see cref="VerificationResult.PendingConfirmation"/> names (<see cref="VerificationRequest.ConfirmLater"/>).
/// </param>
/// <param name="excuseFailuresThatFailedBefore">
/// Fix diagnostic: a failing test that reaches the change is not held against a candidate when it failed the same way on
/// the last state that compiled (<see cref="VerificationRequest.ExcuseFailuresThatFailedBefore"/>). Other tasks never
/// excuse a test that reaches the change: those are the tests the user asked to make pass.
/// </param>
/// <param name="confirmations">Where the confirmations of offered candidates are kept, judged by the same rule (<see cref="NoWorseThanKnown"/>).</param>
/// <param name="reachingTests">
/// The task's context once the search for the tests that reach its target ended: those tests run first
/// (<see cref="CodeContext.TestFilter"/>, <see cref="VerificationRequest.ReachingTestsBounded"/>).
/// </param>
public sealed class WorkspaceCandidateVerifier(
    IWorkspaceHost host, VerificationSettings settings, Task<CodeContext> reachingTests, TargetDiagnostic? target, bool confirmLater = false, bool excuseFailuresThatFailedBefore = false,
    OfferedConfirmations? confirmations = null) : ICandidateVerifier
{
    public Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken) =>
        VerifyAsync(candidate, reuseUnchanged: false, progress, cancellationToken);

    private async Task<VerificationResult> VerifyAsync(Candidate candidate, bool reuseUnchanged, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        progress?.Report("compiling");
        if (!reachingTests.IsCompleted)
        {
            // The tests that reach the target are still being searched (seconds, before the caller index is built): the
            // round they will run in (the shadow copy seeded, the test hosts started and warmed up) is readied meanwhile,
            // on the thread pool, from the first check on. Started once the candidate compiled, it came after the search.
            if (confirmLater && settings.RunTests && settings.Build)
            {
                _ = Task.Run(() => host.PrepareChecksAsync(cancellationToken), CancellationToken.None).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            // The compile needs none of them: a candidate that does not compile (the broken code a fix starts from) is
            // answered now, as the whole check would answer it. One that compiles is checked whole once they are known.
            var compiled = await host.VerifyAsync(Request(candidate, reuseUnchanged, null) with { Build = false, RunTests = false }, progress, cancellationToken).ConfigureAwait(false);
            if (compiled.Status == VerificationStatus.CompileErrors) return compiled;
        }
        var context = await reachingTests.WaitAsync(cancellationToken).ConfigureAwait(false);
        var result = await host.VerifyAsync(Request(candidate, reuseUnchanged, context), progress, cancellationToken).ConfigureAwait(false);
        confirmations?.Track(host, result);
        return NoWorseThanKnown(result);
    }

    private VerificationRequest Request(Candidate candidate, bool reuseUnchanged, CodeContext? context) =>
        new(candidate.Changes, settings.Build, settings.RunTests, context?.TestFilter)
        {
            ReuseUnchanged = reuseUnchanged,
            // Also for the compile before the tests are known: it narrows the compile to what an offer needs.
            ConfirmLater = confirmLater && (!reuseUnchanged || context is null),
            AllErrorsInChangedFiles = true,
            ExcuseFailuresThatFailedBefore = excuseFailuresThatFailedBefore,
            ReachingTestsBounded = context?.ReferencingTestsBounded ?? false,
            TargetDiagnostic = target is null ? null : new DiagnosticToRemove(target.Id, target.Message),
        };

    /// <summary>
    /// Tests that already failed in the user's last compiling code (and that the task does not target) are not the
    /// candidate's fault: when they are the only failures, the candidate is verified "no worse" — Passed, with
    /// <see cref="VerificationResult.KnownFailures"/> naming them for the summary.
    /// </summary>
    public static VerificationResult NoWorseThanKnown(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.OnlyKnownFailuresFail ? result with { Status = VerificationStatus.Passed } : result;
    }

    /// <summary>
    /// The user's code as it is, measured the same way as a candidate that changes <paramref name="paths"/>. Every command
    /// starts with this check, so the host may answer it with its earlier result while nothing has changed since.
    /// </summary>
    public Task<VerificationResult> VerifyBaselineAsync(IEnumerable<string> paths, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var changes = paths.Select(p => new FileChange(p, host.GetText(p) ?? "")).ToList();
        return VerifyAsync(new Candidate(CandidateOrigin.Baseline, "your code as it is", changes), reuseUnchanged: true, progress, cancellationToken);
    }
}
