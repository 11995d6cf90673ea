using System.Collections.Concurrent;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The confirmations a host started (<see cref="ConfirmationId"/> → the real build and whole suite running in the
/// background), so that a result can name one without carrying it. A confirmation is kept after it finishes (whoever
/// waits may ask late); only the newest <see cref="Kept"/> are kept, since each new one supersedes the older ones anyway.
/// </summary>
internal sealed class PendingConfirmations
{
    private const int Kept = 64;
    private readonly ConcurrentDictionary<ConfirmationId, Task<VerificationResult>> _confirmations = new();

    public ConfirmationId Add(Task<VerificationResult> confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var id = ConfirmationId.Next();
        _confirmations[id] = confirmation;
        if (_confirmations.Count > Kept)
        {
            foreach (var old in _confirmations.Keys.Where(k => _confirmations.TryGetValue(k, out var t) && t.IsCompleted).OrderBy(k => k.Value).Take(_confirmations.Count - Kept).ToList())
            {
                _confirmations.TryRemove(old, out _);
            }
        }
        return id;
    }

    public Task<VerificationResult>? Find(ConfirmationId id) => _confirmations.TryGetValue(id, out var confirmation) ? confirmation : null;
}
