using OCI.Engine.Verification;
using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>
/// The confirmation of an offered edit is asked of the engine by the id its result names: judged by the offer's rules
/// (known failures that still fail are "no worse"), and an id nobody offered is a clear error, not a hang.
/// </summary>
public sealed class OfferedConfirmationsTests
{
    [Fact]
    public async Task A_confirmation_whose_only_failures_are_known_is_judged_no_worse_as_the_offer_was()
    {
        var id = ConfirmationId.Next();
        var known = new TestCaseResult("Tests.Old", TestOutcome.Failed, "was failing");
        var confirmed = new VerificationResult(VerificationStatus.TestsFailed, [], [known]) { KnownFailures = ["Tests.Old"], RealBuild = true, WholeSuite = true };
        var host = new OneConfirmationHost(id, Task.FromResult(confirmed));
        var confirmations = new OfferedConfirmations();

        confirmations.Track(host, new VerificationResult(VerificationStatus.Passed, [], []) { PendingConfirmation = id });
        var judged = await confirmations.WaitAsync(id, CancellationToken.None);

        Assert.Equal(VerificationStatus.Passed, judged.Status);
        Assert.Equal(["Tests.Old"], judged.KnownFailures);
    }

    [Fact]
    public async Task An_id_no_offer_named_is_an_error_that_says_so()
    {
        var confirmations = new OfferedConfirmations();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => confirmations.WaitAsync(ConfirmationId.Next(), CancellationToken.None));
        Assert.Contains("No offered edit is waiting for confirmation", error.Message, StringComparison.Ordinal);
    }

    private sealed class OneConfirmationHost(ConfirmationId id, Task<VerificationResult> confirmation) : IWorkspaceHost
    {
        public WorkspaceLoadReport LoadReport => throw new NotSupportedException();
        public Microsoft.CodeAnalysis.Solution CurrentSolution => throw new NotSupportedException();
        public void SetOverlay(string path, string text) => throw new NotSupportedException();
        public void RemoveOverlay(string path) => throw new NotSupportedException();
        public OCI.Workspace.DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes) => throw new NotSupportedException();
        public string? GetText(string path) => null;
        public Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<VerificationResult>? FindConfirmation(ConfirmationId asked) => asked == id ? confirmation : null;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
