namespace OCI.LanguageServer.Documents;

/// <summary>Conversions between LSP document URIs and the file-system paths the engine works with.</summary>
public static class UriPaths
{
    public static StringComparison PathComparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The local path of a file: URI; null for other schemes (untitled:, git:) and malformed URIs.</summary>
    public static string? TryGetLocalPath(string? uri)
    {
        if (uri is null || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
        {
            return null;
        }
        var path = parsed.LocalPath;
        // VS Code writes Windows drive letters as file:///c%3A/...; Uri leaves "/c:/..." on Unix-style parsing.
        if (OperatingSystem.IsWindows() && path.Length > 2 && path[0] == '/' && path[2] == ':')
        {
            path = path[1..];
        }
        return path;
    }

    public static string ToUri(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;
}
