using System.Globalization;
using System.Text.RegularExpressions;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>One refine round as the engine logs it: "Round 1: Passed (0 new errors, 3 passed, 0 failed); model 12 ms, verify 900 ms (compile 40 ms, build 500 ms, tests 350 ms)".</summary>
internal sealed partial record RoundTiming(int Round, string Status, int Errors, int Passed, int Failed, long ModelMs, long VerifyMs, long CompileMs, long BuildMs, long TestMs)
{
    /// <summary>Verification time outside compile, build and tests (shadow sync, process start-up not counted by them).</summary>
    public long OtherMs => Math.Max(0, VerifyMs - CompileMs - BuildMs - TestMs);

    public static RoundTiming? TryParse(string logLine)
    {
        var match = Pattern().Match(logLine);
        if (!match.Success)
        {
            return null;
        }
        long L(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new RoundTiming((int)L(1), match.Groups[2].Value, (int)L(3), (int)L(4), (int)L(5), L(6), L(7), L(8), L(9), L(10));
    }

    [GeneratedRegex(@"Round (\d+): (\w+) \((\d+) new errors, (\d+) passed, (\d+) failed\); model (\d+) ms, verify (\d+) ms \(compile (\d+) ms, build (\d+) ms, tests (\d+) ms\)")]
    private static partial Regex Pattern();
}
