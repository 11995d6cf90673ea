namespace OCI.Engine.Prompts;

/// <summary>A test method that exercises the target: its fully qualified name (for the test filter) and its source.</summary>
public sealed record RelatedTest(string FullyQualifiedName, string Source);

/// <summary>
/// What a prompt shows the model, gathered from the real code with Roslyn's semantic model: the target, its enclosing
/// type, the signatures of the source symbols it uses, the tests that reference it and the current diagnostics.
/// </summary>
public sealed record CodeContext(
    string FilePath,
    string TargetText,
    string? EnclosingTypeText,
    IReadOnlyList<string> UsedSignatures,
    IReadOnlyList<RelatedTest> Tests,
    IReadOnlyList<string> Diagnostics)
{
    /// <summary>
    /// Every test method that references the target (up to <see cref="CodeContextBuilder.MaxReferencingTests"/>), not
    /// only the few in <see cref="Tests"/> the prompt shows: the impacted tests a check runs first.
    /// </summary>
    public IReadOnlyList<string> ReferencingTests { get; init; } = [];

    /// <summary>The search for <see cref="ReferencingTests"/> stopped at a bound: more tests may reach the target.</summary>
    public bool ReferencingTestsBounded { get; init; }

    /// <summary>
    /// A dotnet test filter selecting <see cref="ReferencingTests"/> (else <see cref="Tests"/>); null when none were
    /// found (run them all).
    /// </summary>
    public string? TestFilter
    {
        get
        {
            var names = ReferencingTests.Count > 0 ? ReferencingTests : Tests.Select(t => t.FullyQualifiedName).ToList();
            return names.Count == 0 ? null : string.Join('|', names.Select(n => "FullyQualifiedName~" + n).Distinct(StringComparer.Ordinal));
        }
    }
}
