using System.Diagnostics;

/// <summary>A working copy of the corpus in a temp folder (never the shared tree itself) and the processes run in it.</summary>
internal static class CorpusRepository
{
    /// <summary>git with a fixed identity (the machine may have none); throws when it fails.</summary>
    public static void Git(string directory, params string[] arguments)
    {
        var exit = Run("git", directory, ["-c", "user.name=bench", "-c", "user.email=bench@invalid", "-c", "commit.gpgsign=false", .. arguments]);
        if (exit != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed with exit {exit}");
    }

    public static int Run(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        _ = output.Result + error.Result;
        return process.ExitCode;
    }
}
