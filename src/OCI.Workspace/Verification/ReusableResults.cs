namespace OCI.Workspace.Verification;

/// <summary>
/// The last few verification results by input key (see <see cref="VerificationRequest.ReuseUnchanged"/>): a small,
/// thread-safe, least-recently-used store, since a user switches between a handful of targets at most.
/// </summary>
internal sealed class ReusableResults(int capacity)
{
    private readonly LinkedList<(string Key, VerificationResult Result)> _entries = new();

    public VerificationResult? TryGet(string key)
    {
        lock (_entries)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Key != key) continue;
                _entries.Remove(node);
                _entries.AddFirst(node);
                return node.Value.Result;
            }
            return null;
        }
    }

    public void Add(string key, VerificationResult result)
    {
        lock (_entries)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Key != key) continue;
                _entries.Remove(node);
                break;
            }
            _entries.AddFirst((key, result));
            while (_entries.Count > capacity) _entries.RemoveLast();
        }
    }
}
