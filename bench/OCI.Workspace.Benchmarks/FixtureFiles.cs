/// <summary>Copies a fixture (with the fixtures' shared Directory.* files, without bin/obj) for a benchmark run.</summary>
internal static class FixtureFiles
{
    public static void Copy(string fixtures, string name, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(fixtures, "Directory.*")) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        CopyTree(Path.Combine(fixtures, name), target);
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            if (Path.GetFileName(directory) is "bin" or "obj") continue;
            CopyTree(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
