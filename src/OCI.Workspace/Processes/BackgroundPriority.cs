namespace OCI.Workspace.Processes;

/// <summary>
/// Work nobody is waiting for (the server's background fix-its) marks its async flow; every child process started in
/// that flow (builds, <c>dotnet test</c>) then runs at the lowest CPU priority (<c>nice -n 19</c>), so it yields the
/// cores to whatever the user is waiting for. The mark flows with the ExecutionContext and ends with the marking async
/// method: it never leaks to the caller.
/// </summary>
public static class BackgroundPriority
{
    public const int Niceness = 19;

    private static readonly AsyncLocal<bool> Marked = new();

    private static readonly Lazy<string?> NiceProgram = new(() =>
        OperatingSystem.IsWindows() ? null : new[] { "/usr/bin/nice", "/bin/nice" }.FirstOrDefault(File.Exists));

    /// <summary>True in a flow marked with <see cref="MarkCurrentFlow"/>.</summary>
    public static bool IsBackground => Marked.Value;

    /// <summary>Marks the calling async method's flow (and what it awaits) as background work.</summary>
    public static void MarkCurrentFlow() => Marked.Value = true;

    private static readonly AsyncLocal<bool> Yielding = new();


    /// <summary>
    /// Marks the flow as giving way to checks someone waits for, while its processes keep their normal CPU priority: the
    /// known outcomes after load, which the confirmations wait for, would starve at nice 19 on a busy machine.
    /// </summary>
    public static void MarkYieldingFlow() => Yielding.Value = true;

    /// <summary>True in a flow marked with <see cref="MarkYieldingFlow"/>: work done ahead of need, which gives way even to background checks.</summary>
    public static bool IsSpeculative => Yielding.Value;

    /// <summary>The start info as it is, or, in a background flow where the OS has <c>nice</c>, wrapped in it (outside any sandbox).</summary>
    public static System.Diagnostics.ProcessStartInfo Apply(System.Diagnostics.ProcessStartInfo startInfo)
    {
        if (!IsBackground || NiceProgram.Value is not { } nice) return startInfo;
        startInfo.ArgumentList.Insert(0, startInfo.FileName);
        startInfo.ArgumentList.Insert(0, Niceness.ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Insert(0, "-n");
        startInfo.FileName = nice;
        return startInfo;
    }
}
