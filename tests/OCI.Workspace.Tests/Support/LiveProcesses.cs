using System.Globalization;

namespace OCI.Workspace.Tests.Support;

/// <summary>Live processes seen in /proc, for "nothing survived" checks (zombies are dead and not counted).</summary>
public static class LiveProcesses
{
    /// <summary>Live processes whose command line contains <paramref name="marker"/>.</summary>
    public static List<string> WithCommandLine(string marker)
    {
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains(marker, StringComparison.Ordinal)) continue;
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state is "Z" or "X") continue;
                found.Add($"{Path.GetFileName(entry)} {commandLine.Trim()}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // Gone while we looked.
            }
        }
        return found;
    }

    /// <summary>Waits (generously: a busy machine) until no live process has <paramref name="marker"/>; asserts it.</summary>
    public static async Task AssertNoneAsync(string marker)
    {
        var left = WithCommandLine(marker);
        for (var i = 0; i < 100 && left.Count > 0; i++)
        {
            await Task.Delay(100);
            left = WithCommandLine(marker);
        }
        Assert.True(left.Count == 0, "still running: " + string.Join("; ", left));
    }

    /// <summary>Kills what a failed test left behind, so one failure does not leave processes for the next.</summary>
    public static void KillAll(string marker)
    {
        foreach (var line in WithCommandLine(marker))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
    }
}
