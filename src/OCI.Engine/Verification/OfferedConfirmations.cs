using OCI.Workspace;
using OCI.Workspace.Verification;

namespace OCI.Engine.Verification;

/// <summary>
/// The confirmations of the edits this engine offered on their in-memory build, judged by the engine's rules (known
/// failures that still fail are "no worse") as the offer was. Kept here, not on the result: a result names its
/// confirmation (<see cref="VerificationResult.PendingConfirmation"/>), and a workspace folder closed or reloaded since
/// the offer still lets its confirmation be waited for.
/// </summary>
public sealed class OfferedConfirmations
{
    private const int Kept = 64;
    private readonly object _gate = new();
    private readonly Dictionary<ConfirmationId, Task<VerificationResult>> _confirmations = [];

    /// <summary>Takes in the confirmation <paramref name="result"/> names, if any, from the host that checked it.</summary>
    public void Track(IWorkspaceHost host, VerificationResult result)
    {
        if (result.PendingConfirmation is not { } id) return;
        lock (_gate)
        {
            if (_confirmations.ContainsKey(id) || host.FindConfirmation(id) is not { } confirmation) return;
            _confirmations[id] = JudgedAsync(confirmation);
            if (_confirmations.Count <= Kept) return;
            foreach (var old in _confirmations.Where(c => c.Value.IsCompleted).Select(c => c.Key).OrderBy(k => k.Value).Take(_confirmations.Count - Kept).ToList())
            {
                _confirmations.Remove(old);
            }
        }

        static async Task<VerificationResult> JudgedAsync(Task<VerificationResult> confirmation) =>
            WorkspaceCandidateVerifier.NoWorseThanKnown(await confirmation.ConfigureAwait(false));
    }

    /// <summary>The judged confirmation named <paramref name="id"/>.</summary>
    /// <exception cref="InvalidOperationException">No offer of this engine named it (or it is long gone).</exception>
    public Task<VerificationResult> WaitAsync(ConfirmationId id, CancellationToken cancellationToken)
    {
        Task<VerificationResult>? confirmation;
        lock (_gate) _confirmations.TryGetValue(id, out confirmation);
        return confirmation?.WaitAsync(cancellationToken)
            ?? throw new InvalidOperationException($"No offered edit is waiting for {id}: it was never started, or it finished long ago.");
    }
}
