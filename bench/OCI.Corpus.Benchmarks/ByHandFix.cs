using System.Diagnostics;

/// <summary>
/// What the user does without the server: the broken file is on disk and was built once as they saw it (not timed),
/// then — timed — their own edit back to the good text, `dotnet build` and `dotnet test --no-build` of the solution.
/// </summary>
internal static class ByHandFix
{
    public static async Task<ByHandRun> RunAsync(string workspace, string solution, string file, string broken, string clean)
    {
        var path = Path.Combine(workspace, file);
        await File.WriteAllTextAsync(path, broken);
        CorpusRepository.Run("dotnet", workspace, "build", solution, "-nologo", "-v:q");
        var watch = Stopwatch.StartNew();
        await File.WriteAllTextAsync(path, clean);
        var build = CorpusRepository.Run("dotnet", workspace, "build", solution, "-nologo", "-v:q");
        var test = CorpusRepository.Run("dotnet", workspace, "test", solution, "--no-build", "-nologo", "-v:q");
        return new ByHandRun(watch.Elapsed.TotalMilliseconds, build, test);
    }
}

/// <summary>The user's edit + build + test: wall time and the exit codes (a test exit of 1 is the repository's known failures).</summary>
internal sealed record ByHandRun(double Ms, int BuildExit, int TestExit);
