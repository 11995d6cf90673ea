using System.Text.Json;
using System.Text.Json.Serialization;

namespace OCI.TestHost;

/// <summary>
/// The line protocol between the workspace layer and the test host: one JSON request per line on stdin, one JSON event
/// per line on stdout behind <see cref="EventPrefix"/> (anything else on stdout is output of the code under test that
/// bypassed Console and is ignored). This file is compiled into both sides.
/// </summary>
public static class TestHostProtocol
{
    public const string EventPrefix = "@@oci-testhost ";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One name clause of a test filter: <c>Field Operator Value</c>, e.g. FullyQualifiedName ~ Calc.Tests.Add.</summary>
public sealed record TestNameClause(string Field, string Operator, string Value);

/// <summary>
/// Run these test assemblies. <paramref name="Clauses"/> empty runs every test; otherwise a test runs when any clause
/// matches (or all, with <paramref name="MatchAll"/>). <paramref name="WarmUp"/>: run no test, only load the assemblies
/// with xunit, discover their tests and start an empty run, so that the first real round finds xunit compiled.
/// </summary>
public sealed record TestHostRequest(
    IReadOnlyList<string> Assemblies,
    string WorkingDirectory,
    IReadOnlyList<TestNameClause> Clauses,
    bool MatchAll,
    IReadOnlyList<PlatformApplicationRequest>? Applications = null,
    bool WarmUp = false);

/// <summary>
/// A Microsoft.Testing.Platform test application the host runs in the platform's server mode, as its child (in its
/// sandbox): the application's own arguments (its filter among them), a tree-node filter for the run request (TUnit),
/// and environment variables of its own. The host reports its tests as <c>result</c> events and its end as an
/// <c>application</c> event (exit code and console output).
/// </summary>
public sealed record PlatformApplicationRequest(
    string Assembly,
    IReadOnlyList<string> Arguments,
    string? RequestFilter = null,
    IReadOnlyDictionary<string, string?>? Environment = null);

/// <summary>
/// What the host reports: <c>ready</c> once started; per test <c>start</c> and <c>result</c>; <c>message</c> for run-level
/// problems (a fixture that failed, an assembly that did not load); <c>done</c> at the end of a request, with the code
/// under test's console output and the processes the round left running (<c>Survivors</c>; the host must be replaced
/// then); after a request that loaded test assemblies, <c>unloaded</c> once the host knows whether the round's load
/// contexts were unloaded (<c>Unloaded</c> false: code of the round is still alive and the host must be replaced;
/// <c>Survivors</c>: processes found then). <c>done</c> carries <c>Unloaded</c> true itself when nothing was loaded (no
/// <c>unloaded</c> follows then). The results go out before the unloading, which takes a few collections or, for a
/// context something still holds, the host's whole wait: the round's verdict never waits for it. <c>flood</c> when
/// the code under test has written more than the host keeps (<c>Characters</c> so far): the caller stops the round;
/// <c>application</c> when a test application of the request ended (<c>Name</c> its assembly, <c>ExitCode</c>,
/// <c>Output</c> its console output, <c>Failed</c> how many of its tests reported a failure).
/// </summary>
public sealed record TestHostEvent(
    string Event,
    string? Name = null,
    string? Outcome = null,
    string? Message = null,
    string? StackTrace = null,
    string? Output = null,
    double? Seconds = null,
    bool? Unloaded = null,
    IReadOnlyList<string>? Survivors = null,
    long? Characters = null,
    int? ExitCode = null,
    int? Failed = null);
