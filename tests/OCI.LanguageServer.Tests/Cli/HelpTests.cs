namespace OCI.LanguageServer.Tests.Cli;

/// <summary><c>oci --help</c> through the real executable: the three commands a user can run are listed.</summary>
public sealed class HelpTests
{
    [Fact]
    public async Task Help_lists_serve_refine_and_bench()
    {
        var run = await CliRun.StartAsync("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        var commands = run.Stdout[run.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..];
        Assert.Matches(@"(?m)^\s+serve\s", commands);
        Assert.Matches(@"(?m)^\s+refine <workspace>\s", commands);
        Assert.Matches(@"(?m)^\s+bench\s", commands);
    }
}
