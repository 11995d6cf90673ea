using System.Globalization;

namespace OCI.Workspace.Testing;

/// <summary>What a Microsoft.Testing.Platform test application's exit code means (the platform's documented codes).</summary>
public static class MtpExitCodes
{
    public const int Success = 0;
    public const int TestsFailed = 2;
    public const int SessionAborted = 3;
    public const int ZeroTests = 8;

    /// <summary>Codes after which the run's report is the whole truth: success, failed tests, or nothing matched.</summary>
    public static bool IsOrdinary(int? code) => code is Success or TestsFailed or ZeroTests;

    public static string Describe(int? code) => code switch
    {
        null => "no exit code (the process was stopped)",
        0 => "0: every test that was chosen ran and passed",
        1 => "1: an unknown error (see the output)",
        2 => "2: at least one test failed",
        3 => "3: the test session was aborted (a timeout or a stop)",
        4 => "4: the setup of the test application's extensions is invalid",
        5 => "5: the command line arguments were invalid for this test application",
        6 => "6: the test session used a feature that is not implemented",
        7 => "7: the test session did not complete and likely crashed",
        8 => "8: the test session ran zero tests",
        9 => "9: the minimum number of expected tests was not reached",
        10 => "10: the test framework failed to run the tests for a reason unrelated to them (a fixture could not be set up)",
        11 => "11: the process it depended on exited",
        12 => "12: the client and the test application share no protocol version",
        13 => "13: the run stopped at the maximum number of failed tests",
        _ => string.Create(CultureInfo.InvariantCulture, $"{code}: an exit code the platform does not document"),
    };
}
