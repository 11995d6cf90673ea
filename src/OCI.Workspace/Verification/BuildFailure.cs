namespace OCI.Workspace.Verification;

/// <summary>
/// A failed real build (MSBuild in the shadow copy), as opposed to errors of the in-memory compile: the build can fail
/// in a project the candidate never touched, and what the user must read then is that build failure.
/// </summary>
public static class BuildFailure
{
    /// <summary>The <see cref="VerificationResult.Message"/> of a failed build (with or without diagnostic lines).</summary>
    public const string Message = "the build failed";

    public const string MessageWithoutDiagnostics = Message + " without a diagnostic line (see output)";

    public static bool IsRealBuildFailure(VerificationResult result) =>
        result.Status == VerificationStatus.BuildSystemError
        || (result.Status == VerificationStatus.CompileErrors && result.Message is { } message && message.StartsWith(Message, StringComparison.Ordinal));

    /// <summary>"Other.cs(12): CS0103: The name 'x' does not exist…" for the build's first error, or its message.</summary>
    public static string FirstError(VerificationResult result)
    {
        var error = result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverityLevel.Error && d.IsNew)
            ?? result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverityLevel.Error);
        if (error is null) return result.Message ?? Message;
        var where = error.Path is null ? "" : $"{Path.GetFileName(error.Path)}{(error.Line > 0 ? $"({error.Line})" : "")}: ";
        return $"{where}{error.Id}: {error.Message}";
    }
}
