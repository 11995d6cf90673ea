using System.Globalization;

namespace OCI.Testing;

/// <summary>
/// How long a test waits for something that will happen (a server's answer, a background task): never a tight fixed
/// deadline. A wait is stretched by the machine's load (Linux load average per core, so a machine busy with parallel
/// builds gets longer waits instead of failures) or by <c>OCI_TEST_WAIT_SCALE</c>, whichever is larger.
/// </summary>
public static class TestWaits
{
    private static readonly Lazy<double> s_configured = new(() =>
        double.TryParse(Environment.GetEnvironmentVariable("OCI_TEST_WAIT_SCALE"), NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 ? scale : 1);

    /// <summary>The factor applied now: at least 1, at most 10.</summary>
    public static double Factor => Math.Clamp(Math.Max(s_configured.Value, 1 + LoadPerCore()), 1, 10);

    public static TimeSpan Scaled(TimeSpan wait) => wait * Factor;

    public static TimeSpan Seconds(double seconds) => Scaled(TimeSpan.FromSeconds(seconds));

    private static double LoadPerCore()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture) / Math.Max(1, Environment.ProcessorCount);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
