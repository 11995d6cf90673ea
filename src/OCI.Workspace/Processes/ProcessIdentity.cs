using System.Globalization;

namespace OCI.Workspace.Processes;

/// <summary>
/// A process as /proc knows it (Linux): its id and its start time, so a later look can tell "still that process,
/// alive" from "gone" or "the id now belongs to another process".
/// </summary>
internal sealed class ProcessIdentity
{
    private readonly int _pid;
    private readonly string _startTime;

    private ProcessIdentity(int pid, string startTime)
    {
        _pid = pid;
        _startTime = startTime;
    }

    /// <summary>Null off Linux, or when the process is already gone.</summary>
    public static ProcessIdentity? Of(int pid) =>
        OperatingSystem.IsLinux() && Read(pid) is { } stat && stat.State is not ("Z" or "X") ? new ProcessIdentity(pid, stat.StartTime) : null;

    /// <summary>True while the same process still runs (not a zombie).</summary>
    public bool IsAlive() => Read(_pid) is { } stat && stat.StartTime == _startTime && stat.State is not ("Z" or "X");

    private static (string State, string StartTime)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0], fields[19]); // state, then starttime (field 22 of stat; 20th after the name)
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
