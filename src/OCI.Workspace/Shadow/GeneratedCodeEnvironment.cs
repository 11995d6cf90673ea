namespace OCI.Workspace.Shadow;

/// <summary>Environment variables for the processes that build or run generated code in a shadow copy.</summary>
internal static class GeneratedCodeEnvironment
{
    /// <summary>
    /// The environment of processes that run generated code: HOME and TMP point into the shadow container, so code that
    /// writes "somewhere in my home or temp folder" writes into the copy. NuGet's package folder stays the real one
    /// (read by the test host to resolve assemblies; written by no one during a test run).
    /// </summary>
    public static Dictionary<string, string?> For(ShadowWorkspace shadow)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return new Dictionary<string, string?>
        {
            ["HOME"] = shadow.HomeDirectory,
            ["USERPROFILE"] = shadow.HomeDirectory,
            ["TMPDIR"] = shadow.TempDirectory,
            ["TMP"] = shadow.TempDirectory,
            ["TEMP"] = shadow.TempDirectory,
            ["XDG_CONFIG_HOME"] = Path.Combine(shadow.HomeDirectory, ".config"),
            ["XDG_DATA_HOME"] = Path.Combine(shadow.HomeDirectory, ".local", "share"),
            ["XDG_CACHE_HOME"] = Path.Combine(shadow.HomeDirectory, ".cache"),
            ["NUGET_PACKAGES"] = packages,
            ["DOTNET_CLI_HOME"] = shadow.HomeDirectory,
        };
    }
}
