using System.Diagnostics;
using OCI.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>FailingTest (Add_ReturnsSum fails, Add_Zero passes) with the known failures measured in the background after load.</summary>
public sealed class KnownFailuresFixture() : OpenedFixture("FailingTest")
{
    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 120 };
}

/// <summary>FailingTest committed to git, then broken (it does not compile at load): the known failures come from HEAD.</summary>
public sealed class BrokenAtLoadFixture() : OpenedFixture("FailingTest")
{
    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 120 };

    protected override void Prepare()
    {
        Git("init", "-q");
        Git("add", "-A");
        Git("-c", "user.name=oci-tests", "-c", "user.email=oci-tests@invalid", "commit", "-q", "-m", "fixture");
        var calculator = Copy.PathOf("Calc/Calculator.cs");
        File.WriteAllText(calculator, File.ReadAllText(calculator).Replace("return a - b;", "return a - b", StringComparison.Ordinal));
    }

    private void Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Copy.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)] // loads with MSBuild, builds and runs the suite in the background
public sealed class KnownFailuresTests(KnownFailuresFixture fixture) : IClassFixture<KnownFailuresFixture>
{
    private const string KnownFailing = "Calc.Tests.CalculatorTests.Add_ReturnsSum";

    private string Calculator => fixture.Copy.PathOf("Calc/Calculator.cs");

    [Fact]
    public async Task A_test_that_failed_at_load_is_a_known_failure_and_the_only_failure_of_an_unrelated_change()
    {
        await fixture.Host.KnownFailuresMeasured;
        Assert.Equal((KnownFailuresSource.CodeAsLastChecked, 2), fixture.Host.KnownOutcomes);

        var commented = File.ReadAllText(Calculator).Replace("public static class", "// a comment\npublic static class", StringComparison.Ordinal);
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, commented)]), null, CancellationToken.None);

        Assert.Equal(VerificationStatus.TestsFailed, result.Status); // the workspace reports facts; the engine decides "no worse"
        Assert.True(result.WholeSuite);
        Assert.Equal([KnownFailing], result.KnownFailures);
        Assert.True(result.OnlyKnownFailuresFail);
    }

    [Fact]
    public async Task A_test_the_change_breaks_is_not_known()
    {
        await fixture.Host.KnownFailuresMeasured;
        var broken = File.ReadAllText(Calculator).Replace("return a - b;", "return a - b + 1;", StringComparison.Ordinal);
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(Calculator, broken)]), null, CancellationToken.None);

        Assert.Equal(2, result.FailedTests);
        Assert.Equal([KnownFailing], result.KnownFailures);
        Assert.False(result.OnlyKnownFailuresFail);
    }

    [Fact]
    public async Task A_known_failure_the_request_targets_is_never_excused()
    {
        await fixture.Host.KnownFailuresMeasured;
        var commented = File.ReadAllText(Calculator) + "\n// another comment\n";
        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(Calculator, commented)], TestFilter: "FullyQualifiedName~Add_ReturnsSum"), null, CancellationToken.None);

        Assert.Equal(VerificationStatus.TestsFailed, result.Status);
        Assert.Empty(result.KnownFailures);
        Assert.False(result.OnlyKnownFailuresFail);
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class KnownFailuresFromHeadTests(BrokenAtLoadFixture fixture) : IClassFixture<BrokenAtLoadFixture>
{
    [Fact]
    public async Task When_the_code_does_not_compile_at_load_the_committed_HEAD_is_measured()
    {
        await fixture.Host.KnownFailuresMeasured;
        Assert.Equal((KnownFailuresSource.CommittedHead, 2), fixture.Host.KnownOutcomes);

        var calculator = fixture.Copy.PathOf("Calc/Calculator.cs");
        var repaired = File.ReadAllText(calculator).Replace("return a - b\n", "return a - b;\n", StringComparison.Ordinal);
        var result = await fixture.Host.VerifyAsync(new VerificationRequest([new FileChange(calculator, repaired)]), null, CancellationToken.None);

        Assert.Equal(["Calc.Tests.CalculatorTests.Add_ReturnsSum"], result.KnownFailures);
        Assert.True(result.OnlyKnownFailuresFail);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
    }
}
