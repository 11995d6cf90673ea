namespace OCI.Engine.Refine;

/// <summary>
/// How long checking the user's code as it is took. The check may run while the model writes (its task is the loop's
/// pending baseline, a plain <c>Task&lt;VerificationResult&gt;</c>), so its time is written here where it is measured
/// and read once the check has been awaited, for <see cref="RefineOutcome.BaselineMs"/>.
/// </summary>
internal sealed class BaselineElapsed
{
    /// <summary>Null until the check finished.</summary>
    public long? Milliseconds { get; set; }
}
