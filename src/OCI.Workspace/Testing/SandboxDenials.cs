namespace OCI.Workspace.Testing;

/// <summary>
/// What the sandbox denied, as far as the runtime's own error texts tell (bubblewrap itself reports nothing: a denied
/// write fails with EROFS, a connection finds no network). One line for the feedback, or null.
/// </summary>
public static class SandboxDenials
{
    private static readonly (string Marker, string Meaning)[] Known =
    [
        ("Read-only file system", "writing outside the shadow copy (the sandbox's file system is read-only)"),
        ("Network is unreachable", "network access (the sandbox has no network)"),
        ("Connection refused", "network access (the sandbox has no network; connections are refused)"),
        ("Name or service not known", "network access (the sandbox has no network or name resolution)"),
        ("Temporary failure in name resolution", "network access (the sandbox has no network or name resolution)"),
    ];

    public static string? Describe(TestRunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var texts = outcome.Results.SelectMany(r => new[] { r.Message, r.Output, r.StackTrace })
            .Concat(outcome.RunMessages).Append(outcome.Output).OfType<string>().ToList();
        var denied = Known.Where(k => texts.Any(t => t.Contains(k.Marker, StringComparison.Ordinal))).Select(k => k.Meaning).Distinct().ToList();
        return denied.Count == 0 ? null : "the sandbox denied: " + string.Join("; ", denied);
    }
}
