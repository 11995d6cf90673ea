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
    /// <summary>A dotnet test filter selecting <see cref="Tests"/>; null when none were found (run them all).</summary>
    public string? TestFilter => Tests.Count == 0
        ? null
        : string.Join('|', Tests.Select(t => "FullyQualifiedName~" + t.FullyQualifiedName).Distinct(StringComparer.Ordinal));
}
