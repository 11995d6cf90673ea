namespace OCI.Testing;

/// <summary>
/// Copies a source tree without what a build or a checkout leaves beside the sources (bin, obj, TestResults, .git):
/// the one copy every test and benchmark makes of a fixture or of the corpus (never used on the shared tree in place).
/// </summary>
public static class SourceTree
{
    public static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or "TestResults" or ".git") continue;
            Copy(directory, Path.Combine(target, name));
        }
    }
}
