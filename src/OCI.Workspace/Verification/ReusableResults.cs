using OCI.Workspace.Shadow;

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

    /// <summary>A result that went as far as a check can: the real build, and the whole suite on its output.</summary>
    public static bool IsComplete(VerificationResult result) =>
        result.RealBuild && result.WholeSuite && result.PendingConfirmation is null && !result.Superseded;

    /// <summary>A verdict no further stage could turn into a pass: compile errors, or tests that failed.</summary>
    public static bool IsFailure(VerificationResult result) =>
        result.Status is VerificationStatus.CompileErrors or VerificationStatus.TestsFailed && result.PendingConfirmation is null && !result.Superseded;

    /// <summary>
    /// What a check's result depends on: the workspace's files and the editor's overlays as the shadow copy would see
    /// them (<see cref="ShadowWorkspace.InputFingerprint"/>), the candidate's changes, the stages, the test filter and how errors are counted.
    /// The settings are fixed per host.
    /// </summary>
    public static string InputKey(string userRoot, IReadOnlyDictionary<string, string> overlays, VerificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var texts = new Dictionary<string, string>(overlays, StringComparer.Ordinal);
        foreach (var change in request.Changes) texts[Path.GetFullPath(change.Path)] = change.NewText;
        var changed = string.Join("\0", request.Changes.Select(c => Path.GetFullPath(c.Path)).Order(StringComparer.Ordinal));
        return $"{ShadowWorkspace.InputFingerprint(userRoot, texts)}|{changed}|{request.Build}|{request.RunTests}|{request.TestFilter}|{request.AllErrorsInChangedFiles}|{request.TargetDiagnostic?.Id}|{request.TargetDiagnostic?.Message}";
    }
}
