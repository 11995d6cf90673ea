using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// One measured figure of a user path: the server's time, the by-hand time it is compared with (edit + dotnet build +
/// dotnet test in the same run) and their ratio (by hand ÷ server: above 1 the server is faster). Null: not measured
/// or not reached (the note says why).
/// </summary>
internal sealed record UserPathFigure(string Repository, string Case, string Figure, double? ServerMs, double? ByHandMs, string Note = "")
{
    public double? Ratio => ServerMs is > 0 && ByHandMs is > 0 ? ByHandMs / ServerMs : null;
}

/// <summary>Prints the figures of one case as a table and writes all figures as JSON (for a README table generated later).</summary>
internal static class UserPathReport
{
    public static void PrintTable(string title, IReadOnlyList<UserPathFigure> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
        Console.WriteLine($"{"figure",-52} {"server s",9} {"by hand s",10} {"ratio",7}  note");
        foreach (var f in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Figure,-52} {Seconds(f.ServerMs),9} {Seconds(f.ByHandMs),10} {(f.Ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "-"),7}  {f.Note}"));
        }
        Console.WriteLine("(ratio: by hand ÷ server, above 1× the server is faster; by hand: the user's edit, dotnet build, dotnet test --no-build)");
    }

    /// <summary>Writes the run's figures with what reproduces them: the command, the commit (with "+changes" when the tree differed from it), the machine.</summary>
    public static async Task WriteJsonAsync(string path, string serverDll, IReadOnlyList<UserPathFigure> figures, string command)
    {
        var json = new JsonObject
        {
            ["command"] = command,
            ["commit"] = await CommitAsync(),
            ["server"] = serverDll,
            ["finishedUtc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["loadAverage"] = LoadAverage(),
            ["figures"] = new JsonArray([.. figures.Select(f => (JsonNode)new JsonObject
            {
                ["repository"] = f.Repository,
                ["case"] = f.Case,
                ["figure"] = f.Figure,
                ["serverMs"] = f.ServerMs is { } s ? Math.Round(s) : null,
                ["byHandMs"] = f.ByHandMs is { } b ? Math.Round(b) : null,
                ["ratio"] = f.Ratio is { } r ? Math.Round(r, 2) : null,
                ["note"] = f.Note,
            })]),
        };
        await File.WriteAllTextAsync(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The commit the benchmark ran from (the current directory's repository), or null without git.</summary>
    private static async Task<string?> CommitAsync()
    {
        async Task<string?> GitAsync(params string[] arguments)
        {
            try
            {
                var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in arguments) start.ArgumentList.Add(argument);
                using var git = System.Diagnostics.Process.Start(start);
                if (git is null) return null;
                var output = await git.StandardOutput.ReadToEndAsync();
                await git.WaitForExitAsync();
                return git.ExitCode == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // no git
            }
        }
        var head = await GitAsync("rev-parse", "--short", "HEAD");
        if (head is null) return null;
        var changes = await GitAsync("status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrEmpty(changes) ? head : head + "+changes";
    }

    /// <summary>The 1-minute load average (Linux): other work on the machine counts, read the figures against it.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Seconds(double? ms) => ms is { } v ? (v / 1000).ToString("F1", CultureInfo.InvariantCulture) : "-";
}
