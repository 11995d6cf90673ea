using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// Known test outcomes from the test assemblies the user already built (FailingTest: Add_ReturnsSum fails, Add_Zero
/// passes), with no build: up to date at load, they are the code as it is; when the code does not compile at load and
/// there is no newer commit, they are the code as last built. They run in the shadow copy; the user's tree, bin/
/// included, is left as it was. (The shadow copy is then built in the background, without tests, for the first check.)
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class KnownFailuresFromBuiltAssembliesTests
{
    private const string KnownFailing = "Calc.Tests.CalculatorTests.Add_ReturnsSum";

    [Fact]
    public async Task The_users_built_test_assemblies_give_the_known_outcomes_without_a_build_up_to_date_or_before_a_break()
    {
        using var copy = WorkspaceCopy.OfFixture("FailingTest");
        Assert.Equal(0, Dotnet(copy.Root, "build", "-nologo", "-v:q")); // the user's own build, before the editor opens the folder
        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot, TestTimeoutSeconds = 120 };

        await using (var upToDate = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None))
        {
            var tree = TreeSnapshot.Take(copy.Root);
            await upToDate.KnownFailuresMeasured.WaitAsync(TestWaits.Seconds(180));
            Assert.Equal((KnownFailuresSource.BuiltTestsUpToDate, 2), upToDate.KnownOutcomes);
            Assert.Equal(1, upToDate.TestRuns); // the built assemblies' run; a measurement by build runs the suite on its own output

            TreeSnapshot.AssertUnchanged(tree, copy.Root);
        }

        // The user breaks the code after that build: it does not compile at load, and there is no commit to fall back on.
        var calculator = copy.PathOf("Calc/Calculator.cs");
        File.WriteAllText(calculator, File.ReadAllText(calculator).Replace("return a - b;", "return a - b", StringComparison.Ordinal));
        await using var broken = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        var brokenTree = TreeSnapshot.Take(copy.Root);
        await broken.KnownFailuresMeasured.WaitAsync(TestWaits.Seconds(180));

        var (source, tests) = broken.KnownOutcomes;
        Assert.Equal(KnownFailuresSource.BuiltTestsBeforeLatestChanges, source);
        Assert.Equal(2, tests);
        Assert.Equal(1, broken.TestRuns);
        TreeSnapshot.AssertUnchanged(brokenTree, copy.Root);

        var repaired = File.ReadAllText(calculator).Replace("return a - b\n", "return a - b;\n", StringComparison.Ordinal);
        var result = await broken.VerifyAsync(new VerificationRequest([new FileChange(calculator, repaired)]), null, CancellationToken.None);
        Assert.Equal([KnownFailing], result.KnownFailures);
        Assert.True(result.OnlyKnownFailuresFail);
        Assert.Equal(source, result.KnownFailuresSource);
    }

    private static int Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        _ = output.Result + error.Result;
        return process.ExitCode;
    }
}
