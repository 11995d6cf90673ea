namespace OCI.Workspace.Verification;

/// <summary>
/// Names the real build and whole-suite run still to come for a result offered on its in-memory build
/// (<see cref="VerificationResult.PendingConfirmation"/>). The result stays plain data; the confirmation itself is asked
/// of the host that checked it (<see cref="IWorkspaceHost.FindConfirmation"/>). Unique in the process, across hosts.
/// </summary>
public readonly record struct ConfirmationId(long Value)
{
    private static long s_last;

    public static ConfirmationId Next() => new(Interlocked.Increment(ref s_last));

    public override string ToString() => "confirmation " + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
