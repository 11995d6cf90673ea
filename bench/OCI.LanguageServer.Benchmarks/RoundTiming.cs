using System.Text.Json.Nodes;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>
/// One refine round as the command result reports it (<c>timings.rounds</c>, PROTOCOL.md): the verdict and where the
/// time went, in milliseconds. <see cref="Round"/> counts from 1, as the protocol does.
/// </summary>
internal sealed record RoundTiming(int Round, string Status, int Errors, int Passed, int Failed, long ModelMs, long VerifyMs, long CompileMs, long BuildMs, long TestMs)
{
    /// <summary>Verification time outside compile, build and tests (shadow sync, process start-up not counted by them).</summary>
    public long OtherMs => Math.Max(0, VerifyMs - CompileMs - BuildMs - TestMs);

    /// <summary>The rounds of a command result's <c>timings</c> object, in order; none when it has no timings.</summary>
    public static IReadOnlyList<RoundTiming> From(JsonObject? timings) =>
        timings?["rounds"] is JsonArray rounds ? [.. rounds.Select(r => Of(r!.AsObject()))] : [];

    private static RoundTiming Of(JsonObject round) => new(
        Required<int>(round, "round"),
        StatusName(Required<string>(round, "status")),
        Required<int>(round, "newErrors"),
        Required<int>(round, "passed"),
        Required<int>(round, "failed"),
        Required<long>(round, "modelMs"),
        Required<long>(round, "verifyMs"),
        Required<long>(round, "compileMs"),
        Required<long>(round, "buildMs"),
        Required<long>(round, "testMs"));

    private static T Required<T>(JsonObject round, string name) =>
        round[name] is { } value ? value.GetValue<T>() : throw new InvalidOperationException($"timings.rounds entry without {name}: {round.ToJsonString()}");

    /// <summary>
    /// The protocol's status as the engine names it ("testsFailed" → "TestsFailed"), so tables and figures read as
    /// those recorded before the rounds were reported in the command result (bench/results, bench/README.md).
    /// </summary>
    private static string StatusName(string status) => status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..];
}
