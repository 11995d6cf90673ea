using Microsoft.Extensions.Logging.Abstractions;
using OCI.TestHost;
using OCI.Workspace.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// The warm test host gives the verdict <c>dotnet test</c> gives, test by test: same runtime configuration (the test
/// project's runtimeconfig.json), same runner options (its xunit.runner.json). Every xunit fixture that runs to an end
/// is compared; HangingTest never ends (no verdict to compare) and Destructive deletes files up its folder tree, which
/// only the sandbox may be trusted to contain.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RunnerAgreementTests
{
    [Theory]
    [InlineData("Passing", "Calc.Tests")]
    [InlineData("FailingTest", "Calc.Tests")]
    [InlineData("StubbedMethod", "Geometry.Tests")]
    [InlineData("CultureDependent", "Money.Tests")]
    [InlineData("SerialCollections", "Ledger.Tests")]
    public async Task The_warm_host_and_dotnet_test_agree_on_every_test_of_a_fixture(string fixture, string testProject)
    {
        using var copy = WorkspaceCopy.OfFixture(fixture);
        await RunnerComparison.BuildAsync(copy.Root, fixture + ".slnx");
        var assembly = RunnerComparison.AssemblyOf(copy.Root, testProject);

        var (warm, dotnetTest) = await RunnerComparison.RunBothAsync(assembly, copy.Root);

        RunnerComparison.AssertAgree(warm, dotnetTest);
    }

    [Fact]
    public async Task Tests_that_need_real_culture_data_pass_in_the_warm_host_as_under_dotnet_test()
    {
        using var copy = WorkspaceCopy.OfFixture("CultureDependent");
        await RunnerComparison.BuildAsync(copy.Root, "CultureDependent.slnx");
        var assembly = RunnerComparison.AssemblyOf(copy.Root, "Money.Tests");
        const string german = "Money.Tests.PriceTests.German_amounts_group_with_dots_and_decimals_with_a_comma";

        var (warm, dotnetTest) = await RunnerComparison.RunBothAsync(assembly, copy.Root);
        Assert.Equal(TestOutcome.Passed, dotnetTest[german]);
        Assert.Equal(TestOutcome.Passed, warm[german]);

        // The host's own runtime configuration (globalization-invariant, as this repository builds it) is what the host
        // used before: there the same test fails, so the agreement above is the runtime configuration's doing.
        var hostAssembly = WarmTestHost.FindHostAssembly()!;
        using var ownConfigHost = new WarmTestHost(hostAssembly, copy.Root, PlainScope.For(copy.Root));
        var invariant = await ownConfigHost.RunAsync(new TestHostRequest([assembly], copy.Root, [], false), RunnerComparison.Timeout, p => p, CancellationToken.None);
        var failure = Assert.Single(invariant.Results, r => r.Name == german);
        Assert.Equal(TestOutcome.Failed, failure.Outcome);
        Assert.Contains("CultureNotFoundException", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warm_host_honours_xunit_runner_json_that_turns_collection_parallelism_off()
    {
        using var copy = WorkspaceCopy.OfFixture("SerialCollections");
        await RunnerComparison.BuildAsync(copy.Root, "SerialCollections.slnx");
        var assembly = RunnerComparison.AssemblyOf(copy.Root, "Ledger.Tests");

        var (warm, dotnetTest) = await RunnerComparison.RunBothAsync(assembly, copy.Root);
        Assert.Equal(3, warm.Count);
        Assert.All(warm.Values, outcome => Assert.Equal(TestOutcome.Passed, outcome));
        RunnerComparison.AssertAgree(warm, dotnetTest);

        // Without the config, xunit runs the three collections side by side and the journal sees a second writer.
        File.Delete(Path.Combine(Path.GetDirectoryName(assembly)!, "xunit.runner.json"));
        using var runner = new TestRoundRunner(copy.Root, PlainScope.For(copy.Root), useWarmHost: true, NullLogger.Instance);
        var parallel = await runner.RunAsync([assembly], copy.Root, () => throw new InvalidOperationException("fell back to dotnet test"),
            null, RunnerComparison.Timeout, p => p, CancellationToken.None);
        Assert.Contains(parallel.Results, r => r.Outcome == TestOutcome.Failed);
    }

    [Fact]
    public async Task A_rounds_test_assemblies_run_side_by_side_each_in_a_host_of_its_own_and_agree_with_dotnet_test()
    {
        using var passing = WorkspaceCopy.OfFixture("Passing");
        using var stubbed = WorkspaceCopy.OfFixture("StubbedMethod");
        await RunnerComparison.BuildAsync(passing.Root, "Passing.slnx");
        await RunnerComparison.BuildAsync(stubbed.Root, "StubbedMethod.slnx");
        string[] assemblies = [RunnerComparison.AssemblyOf(passing.Root, "Calc.Tests"), RunnerComparison.AssemblyOf(stubbed.Root, "Geometry.Tests")];

        using var runner = new TestRoundRunner(passing.Root, PlainScope.For(passing.Root), useWarmHost: true, NullLogger.Instance);
        var both = await runner.RunAsync(assemblies, passing.Root, () => throw new InvalidOperationException("the warm host fell back to dotnet test"),
            null, RunnerComparison.Timeout, p => p, CancellationToken.None);
        Assert.Equal(TestRunners.WarmHost, both.Runner);
        Assert.False(both.TimedOut || both.Crashed, both.Output);
        Assert.Equal(Math.Min(2, Environment.ProcessorCount), runner.WarmHosts); // one per core: side by side

        var byHand = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        foreach (var assembly in assemblies)
        {
            var folder = Path.GetDirectoryName(assembly)!;
            var run = await DotnetTestRun.RunAsync([assembly], folder, Path.Combine(folder, "oci-comparison-results"), null, RunnerComparison.Timeout, p => p, PlainScope.For(folder), CancellationToken.None);
            foreach (var (name, outcome) in RunnerComparison.Verdicts(run)) byHand[name] = outcome;
        }
        RunnerComparison.AssertAgree(RunnerComparison.Verdicts(both), byHand);
        Assert.Contains(byHand.Keys, n => n.StartsWith("Calc.Tests.", StringComparison.Ordinal));
        Assert.Contains(byHand.Keys, n => n.StartsWith("Geometry.Tests.", StringComparison.Ordinal));
    }
}
