namespace OCI.Workspace.Testing;

/// <summary>
/// How one test application's end is read, whichever way it ran (server mode through the warm host or the one-shot
/// client, or with a report file): its exit code as the platform documents it (<see cref="MtpExitCodes"/>), against
/// what its own results say. One reading for every path, because a crash read as "ordinary" is a false verdict: an
/// application that exits with "tests failed" but reported no failed test lost results, and one whose results did not
/// arrive whole (the protocol did not finish) ran an unknown part of its tests.
/// </summary>
public static class ApplicationEnd
{
    /// <summary>
    /// <paramref name="Crashed"/>: its results are not the whole truth (said in <paramref name="Messages"/>).
    /// <paramref name="Stopped"/>: stopped by the caller's timeout or by the platform's (session aborted); the caller
    /// names what had not finished.
    /// </summary>
    public sealed record Reading(bool Crashed, bool Stopped, IReadOnlyList<string> Messages);

    /// <param name="name">The application, for the messages.</param>
    /// <param name="exitCode">Its exit code; null when it was stopped.</param>
    /// <param name="resultsComplete">Its results arrived whole: the server-mode protocol finished, or the report was read.</param>
    /// <param name="failedTests">How many of this application's own tests reported a failure.</param>
    /// <param name="filter">The round's filter: zero tests is only worth saying of an unfiltered run.</param>
    /// <param name="timedOut">The caller's timeout stopped it.</param>
    /// <param name="xunitNative">xunit.v3's native runner, whose codes are 0 or 1 (failures), not the platform's.</param>
    /// <param name="onlyExitCode">No structured report exists: the exit code alone says that tests failed.</param>
    public static Reading Read(
        string name, int? exitCode, bool resultsComplete, int failedTests, string? filter, bool timedOut, bool xunitNative = false, bool onlyExitCode = false)
    {
        var messages = new List<string>();
        var stopped = timedOut || !xunitNative && exitCode == MtpExitCodes.SessionAborted;
        if (!xunitNative && exitCode == MtpExitCodes.ZeroTests && string.IsNullOrWhiteSpace(filter))
        {
            messages.Add($"{name}: exit code {MtpExitCodes.Describe(exitCode)}");
        }
        var ordinary = xunitNative
            ? exitCode is 0 || exitCode is 1 && failedTests > 0
            : resultsComplete && MtpExitCodes.IsOrdinary(exitCode) && (exitCode != MtpExitCodes.TestsFailed || failedTests > 0 || onlyExitCode);
        var crashed = !ordinary && !stopped;
        if (crashed)
        {
            messages.Add(xunitNative
                ? $"{name} exited with code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}"
                : $"{name} exited with code {MtpExitCodes.Describe(exitCode)}");
        }
        return new Reading(crashed, stopped, messages);
    }
}
