using System.Globalization;
using System.Runtime.InteropServices;

namespace OCI.TestHost;

/// <summary>
/// The processes a round's tests started. On Linux the host makes itself a child subreaper at start, so a child that
/// detaches (setsid, nohup, a double fork) is reparented to the host rather than to init and stays findable as the
/// host's descendant. After each round the caller is told about every live descendant and replaces the host (killing
/// its tree) — a round never leaves a process behind. Elsewhere nothing is reported: the caller's tree kill is all.
/// </summary>
internal static partial class RoundProcesses
{
    private const int PrSetChildSubreaper = 36;

    /// <summary>Makes orphaned descendants this process's children (Linux); false where not possible.</summary>
    public static bool BecomeSubreaper()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Live (not zombie) descendants of this process: "pid command line".</summary>
    public static IReadOnlyList<string> LiveDescendants()
    {
        if (!OperatingSystem.IsLinux()) return [];
        var parents = new Dictionary<int, (int Parent, bool Live)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), fields[0] is not ("Z" or "X"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Gone while we looked.
            }
        }
        var self = Environment.ProcessId;
        var found = new List<string>();
        foreach (var (pid, (_, live)) in parents)
        {
            if (!live || pid == self) continue;
            var ancestor = pid;
            for (var depth = 0; depth < 64 && parents.TryGetValue(ancestor, out var p) && p.Parent > 0; depth++)
            {
                ancestor = p.Parent;
                if (ancestor != self) continue;
                found.Add($"{pid} {CommandLine(pid)}");
                break;
            }
        }
        return found;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return text.Length > 120 ? text[..120] + "…" : text;
        }
        catch (IOException)
        {
            return "";
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
