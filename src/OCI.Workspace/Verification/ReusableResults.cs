using OCI.Workspace.Shadow;

namespace OCI.Workspace.Verification;

/// <summary>
/// The last few verification results by input key (see <see cref="VerificationRequest.ReuseUnchanged"/>): a small,
/// thread-safe, least-recently-used store, since a user switches between a handful of targets at most, and the policy
/// of what an identical later check may take from it (<see cref="TryReuse"/>) and what is kept (<see cref="MayKeep"/>).
/// </summary>
internal sealed class ReusableResults(int capacity)
{
    private readonly LinkedList<(string Key, VerificationResult Result)> _entries = new();
    private int _reused;

    /// <summary>Checks answered with an earlier result (tests count the work a check did not do).</summary>
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>
    /// The earlier result of identical inputs that answers <paramref name="request"/>: the baseline takes any; an editor's
    /// candidate takes one that went further than it asks (the real build and the whole suite: a fix-it verified it in the
    /// background), or a failure (compile errors, failing tests), which no further stage could turn into a pass. Its
    /// times are zero: nothing ran.
    /// </summary>
    public VerificationResult? TryReuse(string key, VerificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ReuseUnchanged && !request.ConfirmLater) return null;
        if (TryGet(key) is not { } reused || !(request.ReuseUnchanged || IsComplete(reused) || IsFailure(reused))) return null;
        Interlocked.Increment(ref _reused);
        return reused with { CompileTime = TimeSpan.Zero, BuildTime = TimeSpan.Zero, TestTime = TimeSpan.Zero, TestRuns = [], Reused = true };
    }

    /// <summary>
    /// Only facts about the code are kept: a verdict with nothing pending; a candidate's only when complete or failed (a
    /// baseline's always: it is what every command checks first). The caller keeps it only if its inputs did not change
    /// while it ran (the key taken again).
    /// </summary>
    public static bool MayKeep(VerificationRequest request, VerificationResult result) =>
        result.Status is VerificationStatus.Passed or VerificationStatus.TestsFailed or VerificationStatus.CompileErrors
        && result.PendingConfirmation is null
        && (request.ReuseUnchanged || IsComplete(result) || IsFailure(result));

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
