namespace OCI.Testing;

/// <summary>Locates the repository, its fixtures and ../shared from a test's output folder.</summary>
public static class FixturePaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Fixtures => Path.Combine(RepositoryRoot, "tests", "fixtures");

    /// <summary>../shared beside the checkout (CI lays it there); the OCI_SHARED variable overrides.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("OCI_SHARED") is { Length: > 0 } shared
            ? shared
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Models => Path.Combine(Shared, "models");

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OCI.LanguageServer.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("OCI.LanguageServer.sln not found above " + AppContext.BaseDirectory);
    }
}
