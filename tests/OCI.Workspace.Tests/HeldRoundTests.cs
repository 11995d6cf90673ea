using System.Text.RegularExpressions;
using OCI.Workspace.Feedback;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// The warm host reports a round's results before it knows whether the round's code is all gone (unloading a load
/// context something still holds costs the host's whole wait): a round whose code is still held is answered as any
/// other, and the round after it runs in a fresh host; a round that unloads (dynamic included) leaves its host, and
/// the xunit it shares between rounds, to the next one. Every round's own statics are fresh, in a reused host too.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed partial class HeldRoundTests(PassingFixture fixture) : IClassFixture<PassingFixture>
{
    /// <summary>
    /// Calculator.cs whose Multiply (one test calls it) counts its calls in a static, runs <paramref name="statement"/>,
    /// and fails with a mark of the host it runs in and the count.
    /// </summary>
    private static string Calculator(string statement, int round) => $$"""
        namespace Calc;

        public static class Calculator
        {
            private static int s_calls;

            public sealed class Held
            {
                public int Touch() => 1;
            }

            public static int Add(int a, int b)
            {
                return a + b;
            }

            public static int Multiply(int a, int b)
            {
                // round {{round}}
                s_calls++;
                {{statement}}
                // The host's own mark, a string in the AppDomain's data (the process id is 2 in every sandbox).
                var host = System.AppDomain.CurrentDomain.GetData("oci-test-host") as string;
                if (host is null) System.AppDomain.CurrentDomain.SetData("oci-test-host", host = System.Guid.NewGuid().ToString("N"));
                throw new System.InvalidOperationException("host " + host + " calls " + s_calls);
            }
        }
        """;

    private const string Nothing = "";

    /// <summary>An object of the round's own assembly in the AppDomain's data: the round's load context cannot unload.</summary>
    private const string HoldsTheRound = "System.AppDomain.CurrentDomain.SetData(\"oci-held\", new Held());";

    /// <summary>The C# runtime binder caches the types it binds (a type of the round's own assembly here).</summary>
    private const string BindsDynamically = "dynamic held = new Held(); if ((int)held.Touch() != 1) return 0;";

    private async Task<string> HostOfRoundAsync(string statement, int round)
    {
        var path = fixture.Copy.PathOf("Calc/Calculator.cs");
        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(path, Calculator(statement, round))]), null, CancellationToken.None);
        Assert.True(result.Status == VerificationStatus.TestsFailed, FeedbackRenderer.Render(result, 4000));
        var failure = Assert.Single(result.Tests, t => t.Outcome == TestOutcome.Failed);
        var match = HostAndCalls().Match(failure.Message ?? "");
        Assert.True(match.Success, failure.Message);
        Assert.Equal("1", match.Groups[2].Value); // the round's statics are its own
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task A_round_whose_code_is_still_held_is_answered_and_the_next_round_runs_in_a_fresh_host()
    {
        var first = await HostOfRoundAsync(Nothing, round: 1);
        var dynamic = await HostOfRoundAsync(BindsDynamically, round: 2);
        var afterDynamic = await HostOfRoundAsync(Nothing, round: 3);
        var held = await HostOfRoundAsync(HoldsTheRound, round: 4);
        var afterHeld = await HostOfRoundAsync(Nothing, round: 5);
        var afterClean = await HostOfRoundAsync(Nothing, round: 6);

        Assert.Equal(first, dynamic); // the first round unloaded: its host ran the next
        Assert.Equal(dynamic, afterDynamic); // so did the round that used dynamic
        Assert.Equal(afterDynamic, held);
        Assert.NotEqual(held, afterHeld); // the held round's host was replaced
        Assert.Equal(afterHeld, afterClean);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }

    [GeneratedRegex(@"host (\w+) calls (\d+)")]
    private static partial Regex HostAndCalls();
}
