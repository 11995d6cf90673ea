using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// A file broken in the editor before the load's background work starts (no git, no built test assembly): the saved
/// files are the last state that compiled, and the known failures come from them.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)] // loads with MSBuild, builds and runs the suite in the background
public sealed class KnownFailuresFromSavedFilesTests
{
    [Fact]
    public async Task When_only_the_editors_buffer_does_not_compile_the_saved_files_are_measured()
    {
        using var copy = WorkspaceCopy.OfFixture("FailingTest");
        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot, TestTimeoutSeconds = 120 };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(
            copy.Root, settings, NullLoggerFactory.Instance, progress: null, CancellationToken.None, deferBackgroundWork: true);
        var calculator = copy.PathOf("Calc/Calculator.cs");
        var saved = File.ReadAllText(calculator);
        host.SetOverlay(calculator, saved.Replace("return a - b;", "return a - b", StringComparison.Ordinal));
        var treeBefore = TreeSnapshot.Take(copy.Root);

        host.StartBackgroundWork();
        await host.KnownFailuresMeasured.WaitAsync(TestWaits.Scaled(TimeSpan.FromMinutes(5)));

        Assert.Equal((KnownFailuresSource.SavedFiles, 2), host.KnownOutcomes);
        var result = await host.VerifyAsync(new VerificationRequest([new FileChange(calculator, saved)]), null, CancellationToken.None);
        Assert.Equal(["Calc.Tests.CalculatorTests.Add_ReturnsSum"], result.KnownFailures);
        Assert.True(result.OnlyKnownFailuresFail);
        TreeSnapshot.AssertUnchanged(treeBefore, copy.Root);
    }
}
