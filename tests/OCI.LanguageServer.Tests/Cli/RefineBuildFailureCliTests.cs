namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// When the real build fails in another project than the one being fixed, <c>oci refine</c>'s summary says so and
/// names that build error — not a candidate's compile error — and nothing is verified (exit 1).
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RefineBuildFailureCliTests
{
    [Fact]
    public async Task A_build_that_fails_in_another_project_is_named_in_the_summary()
    {
        using var sample = WorkspaceCopy.OfSample("FixDiagnostic");
        var testProject = sample.PathOf("tests/TextTools.Tests/TextTools.Tests.csproj");
        // The test project fails its real build (not its design-time build, so the workspace still loads it).
        File.WriteAllText(testProject, File.ReadAllText(testProject).Replace("</Project>", """
              <Target Name="BrokenOnPurpose" AfterTargets="CoreCompile" Condition="'$(DesignTimeBuild)' != 'true'">
                <Error Code="XB0001" Text="this project does not build (on purpose)" />
              </Target>
            </Project>
            """, StringComparison.Ordinal));

        var run = await CliRun.StartAsync(["refine", sample.Root, "--file", FixDiagnosticCliWorkspace.SlugPath, "--kind", "fixDiagnostic"],
            Path.Combine(sample.Container, "tmp"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("the real build failed: TextTools.Tests.csproj(", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("XB0001: this project does not build (on purpose)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Your code is unchanged (1 error CS0246)", run.Stderr, StringComparison.Ordinal);
    }
}
