using System.Globalization;
using System.Text.RegularExpressions;
using OCI.Workspace.Feedback;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// The warm host reports a round's results before it knows whether the round's code is all gone (unloading a load
/// context something still holds costs the host's whole wait): a round whose code is still held is answered as any
/// other, and the round after it runs in a fresh host; a round that unloads leaves its host to the next one.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed partial class HeldRoundTests(PassingFixture fixture) : IClassFixture<PassingFixture>
{
    /// <summary>
    /// Calculator.cs whose Add fails with the id of the process it runs in, after storing an object of the round's own
    /// assembly in the AppDomain's data when <paramref name="holds"/> (which keeps the round's load context alive).
    /// </summary>
    private static string Calculator(bool holds, int round) => $$"""
        namespace Calc;

        public static class Calculator
        {
            public sealed class Held;

            public static int Add(int a, int b)
            {
                // round {{round}}
                {{(holds ? "System.AppDomain.CurrentDomain.SetData(\"oci-held\", new Held());" : "")}}
                throw new System.InvalidOperationException("host " + System.Environment.ProcessId);
            }

            public static int Multiply(int a, int b)
            {
                return a * b;
            }
        }
        """;

    private async Task<int> HostOfRoundAsync(bool holds, int round)
    {
        var path = fixture.Copy.PathOf("Calc/Calculator.cs");
        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(path, Calculator(holds, round))]), null, CancellationToken.None);
        Assert.True(result.Status == VerificationStatus.TestsFailed, FeedbackRenderer.Render(result, 4000));
        var failure = result.Tests.First(t => t.Outcome == TestOutcome.Failed);
        var match = HostId().Match(failure.Message ?? "");
        Assert.True(match.Success, failure.Message);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_round_whose_code_is_still_held_is_answered_and_the_next_round_runs_in_a_fresh_host()
    {
        var clean = await HostOfRoundAsync(holds: false, round: 1);
        var held = await HostOfRoundAsync(holds: true, round: 2);
        var afterHeld = await HostOfRoundAsync(holds: false, round: 3);
        var afterClean = await HostOfRoundAsync(holds: false, round: 4);

        Assert.Equal(clean, held); // the first round unloaded: its host ran the next
        Assert.NotEqual(held, afterHeld); // the held round's host was replaced
        Assert.Equal(afterHeld, afterClean);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }

    [GeneratedRegex(@"host (\d+)")]
    private static partial Regex HostId();
}
