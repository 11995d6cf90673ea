using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace OCI.Workspace.Processes;

/// <summary>
/// Ends what a run of generated code left behind. Every isolated launch carries its own
/// <see cref="ProcessSandbox.RunMarkerVariable"/>, which every process it starts inherits — also ones that detached
/// with setsid/nohup and were reparented away from the tree. After each run (not only on timeout) the run's tree is
/// killed and, on Linux, every process whose environment still holds the run's marker is killed too. Under the
/// sandbox the PID namespace has already done this; without it this is what keeps a <c>sleep 600</c> from
/// outliving its round. A program that clears its own environment on purpose escapes this net (not the sandbox's).
/// On other OSes only the tree found by parent id while the launched process lives is reachable.
/// </summary>
public static partial class ProcessReaper
{
    private const int SigKill = 9;

    /// <summary>A fresh marker value for one run.</summary>
    public static string NewRunMarker() => Guid.NewGuid().ToString("N");

    /// <summary>Kills <paramref name="process"/>'s tree if it still runs (ignores one that has exited).</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (process.HasExited) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited, or gone while we looked.
        }
    }

    /// <summary>
    /// Kills every live process (but <paramref name="except"/>) whose environment holds <paramref name="runMarker"/>;
    /// returns their command lines (empty when none, and always on OSes without /proc).
    /// </summary>
    public static IReadOnlyList<string> KillMarked(string runMarker, IReadOnlySet<int>? except = null)
    {
        // Every descendant carries the marker too, so each is signalled directly: no tree walk, and no Process object
        // for a process that is not our child (their cached state must not meet a later child that reuses the id).
        // A process caught mid-fork can leave a child the scan did not see yet: scan again while there were any.
        var killed = new List<string>();
        var seen = new HashSet<int>();
        for (var pass = 0; pass < 10; pass++)
        {
            var found = FindMarked(runMarker, except);
            if (found.Count == 0) break;
            foreach (var (pid, commandLine) in found)
            {
                _ = Kill(pid, SigKill);
                if (seen.Add(pid)) killed.Add(commandLine);
            }
            Thread.Sleep(20);
        }
        return killed;
    }

    /// <summary>Live (not zombie) processes whose environment holds <paramref name="runMarker"/>.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> FindMarked(string runMarker, IReadOnlySet<int>? except = null)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var needle = Encoding.ASCII.GetBytes($"{ProcessSandbox.RunMarkerVariable}={runMarker}\0");
        var self = Environment.ProcessId;
        var found = new List<(int, string)>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return [];
        }
        foreach (var entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self) continue;
            if (except is not null && except.Contains(pid)) continue;
            try
            {
                var environment = File.ReadAllBytes(Path.Combine(entry, "environ"));
                if (environment.AsSpan().IndexOf(needle) < 0 && !EndsWith(environment, needle)) continue;
                if (IsZombie(entry)) continue;
                found.Add((pid, CommandLine(entry)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to read, or gone.
            }
        }
        return found;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static bool EndsWith(byte[] environment, byte[] needle) =>
        environment.AsSpan().EndsWith(needle.AsSpan(0, needle.Length - 1)); // the last variable may lack its NUL

    private static bool IsZombie(string entry)
    {
        var stat = File.ReadAllText(Path.Combine(entry, "stat"));
        var close = stat.LastIndexOf(')');
        return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
    }

    private static string CommandLine(string entry)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ').Trim();
            return text.Length > 120 ? text[..120] + "…" : text;
        }
        catch (IOException)
        {
            return Path.GetFileName(entry);
        }
    }
}
