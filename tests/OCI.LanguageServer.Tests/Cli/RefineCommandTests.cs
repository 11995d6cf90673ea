using System.Text;

namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// <c>oci refine</c> through the real executable on a copy of samples/FixDiagnostic, no model: Roslyn's add-using is
/// verified with a real build and test run; the diff is the only thing on stdout; files change only with --apply;
/// bad input is a usage error (exit 2) and a task that cannot be verified exits 1.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RefineCommandTests(FixDiagnosticCliWorkspace sample) : IClassFixture<FixDiagnosticCliWorkspace>
{
    private const string Slug = FixDiagnosticCliWorkspace.SlugPath;

    [Fact]
    public async Task Fix_diagnostic_prints_only_the_add_using_diff_and_leaves_the_file_as_it_was()
    {
        var run = await sample.RefineAsync("--file", Slug, "--kind", "fixDiagnostic");

        Assert.True(run.ExitCode == 0, run.ToString());
        AssertIsOnlyTheAddUsingDiff(run);
        Assert.Contains("loading FixDiagnostic.sln", run.Stderr);
        Assert.Contains("running tests", run.Stderr);
        Assert.Contains("Verified Roslyn's fix \"using System.Text;\"", run.Stderr);
        Assert.Equal(sample.OriginalSlug, sample.CurrentSlug);
    }

    [Fact]
    public async Task Fix_diagnostic_with_apply_writes_the_using_and_the_copy_then_builds()
    {
        try
        {
            var run = await sample.RefineAsync("--file", Slug, "--kind", "fixDiagnostic", "--apply");

            Assert.True(run.ExitCode == 0, run.ToString());
            AssertIsOnlyTheAddUsingDiff(run);
            Assert.Contains("applied to 1 file(s)", run.Stderr);
            var text = Encoding.UTF8.GetString(sample.CurrentSlug);
            Assert.StartsWith("using System.Text;", text);
            Assert.EndsWith(Encoding.UTF8.GetString(sample.OriginalSlug), text);

            var build = await DotnetBuildAsync(sample.Workspace.PathOf("FixDiagnostic.sln"));
            Assert.True(build.ExitCode == 0, build.Output);
        }
        finally
        {
            sample.RestoreSlug();
        }
    }

    [Fact]
    public async Task A_workspace_folder_that_does_not_exist_is_a_usage_error()
    {
        var missing = Path.Combine(sample.Workspace.Container, "no-such-folder");
        var run = await CliRun.StartAsync(["refine", missing, "--file", Slug, "--kind", "fixDiagnostic"], sample.TempFolder);

        AssertUsageError(run, $"error: workspace {missing} does not exist");
    }

    [Fact]
    public async Task A_file_that_does_not_exist_is_a_usage_error()
    {
        var run = await sample.RefineAsync("--file", "src/TextTools/Missing.cs", "--kind", "fixDiagnostic");

        AssertUsageError(run, "error: file src/TextTools/Missing.cs does not exist in " + sample.Workspace.Root);
    }

    [Fact]
    public async Task Refine_selection_without_an_instruction_is_a_usage_error()
    {
        var run = await sample.RefineAsync("--file", Slug, "--kind", "refineSelection", "--member", "From");

        AssertUsageError(run, "error: refineSelection needs --instruction");
    }

    [Fact]
    public async Task A_member_that_is_not_in_the_file_is_a_usage_error_reported_before_loading_the_workspace()
    {
        var run = await sample.RefineAsync("--file", Slug, "--kind", "generate", "--member", "NoSuchMember");

        AssertUsageError(run, "error: no member or type named NoSuchMember in " + Slug);
        Assert.DoesNotContain("loading", run.Stderr);
    }

    [Fact]
    public async Task Generate_without_a_model_exits_1_says_how_to_configure_one_and_changes_nothing()
    {
        var run = await sample.RefineAsync("--file", Slug, "--kind", "generate", "--member", "From");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("Generate at Slug.cs:", run.Stderr);
        Assert.Contains("Your code is unchanged", run.Stderr);
        Assert.Contains("No model is configured", run.Stderr);
        Assert.Contains("--model PATH.gguf", run.Stderr);
        Assert.Equal(sample.OriginalSlug, sample.CurrentSlug);
    }

    /// <summary>stdout is exactly one file's unified diff whose only change is the added using (and its blank line).</summary>
    private static void AssertIsOnlyTheAddUsingDiff(CliRun run)
    {
        var lines = run.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.True(lines.Length >= 4, run.ToString());
        Assert.Equal("--- a/" + Slug, lines[0]);
        Assert.Equal("+++ b/" + Slug, lines[1]);
        Assert.StartsWith("@@ -1,", lines[2]);
        var body = lines[3..];
        Assert.All(body, line => Assert.True(line.Length == 0 || line[0] is ' ' or '+' or '-' || line.StartsWith("@@", StringComparison.Ordinal),
            $"not a diff line: '{line}'\n{run}"));
        Assert.Equal(["using System.Text;", ""], body.Where(l => l.StartsWith('+')).Select(l => l[1..]));
        Assert.DoesNotContain(body, l => l.StartsWith('-'));
    }

    private static void AssertUsageError(CliRun run, string expectedLine)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains(expectedLine, run.Stderr.ReplaceLineEndings("\n").Split('\n'));
    }

    /// <summary>A plain <c>dotnet build</c> as the user would run it; build servers off so nothing outlives the run.</summary>
    private static async Task<(int ExitCode, string Output)> DotnetBuildAsync(string solution)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", solution, "--disable-build-servers", "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CliRun.DefaultTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
