namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// <c>oci bench</c> through the real executable on ../shared/bench/humaneval-cs.jsonl: the harness check prints its
/// overhead table on stdout; a model file that does not exist is a clear error that writes no report.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oci-cli", "bench-" + Guid.NewGuid().ToString("N")[..12]);

    public BenchCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "cwd"));
    }

    private static string HumanEval
    {
        get
        {
            var path = Path.Combine(FixturePaths.Shared, "bench", "humaneval-cs.jsonl");
            return File.Exists(path) ? path : throw new FileNotFoundException("HumanEval-C# is expected in ../shared/bench (or $OCI_SHARED/bench)", path);
        }
    }

    private Task<CliRun> BenchAsync(params string[] arguments) =>
        CliRun.StartAsync(["bench", .. arguments], Path.Combine(_folder, "tmp"), Path.Combine(_folder, "cwd"));

    [Fact]
    public async Task Harness_check_prints_the_overhead_figures_of_the_first_problems()
    {
        var run = await BenchAsync("humaneval", "--harness-check", "--limit", "3", "--dataset", HumanEval);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("## Harness overhead: HumanEval-C#, 3 problems, parallel 1", run.Stdout);
        Assert.Contains("| compile (Roslyn, in memory) |", run.Stdout);
        Assert.Contains("| run (dotnet exec child) |", run.Stdout);
        Assert.Contains("| total (compile + sandbox + run) |", run.Stdout);
        Assert.Contains("Outcomes: TestsFailed 3", run.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "cwd")));
    }

    [Fact]
    public async Task A_model_file_that_does_not_exist_is_a_clear_error_and_writes_no_report()
    {
        var run = await BenchAsync("humaneval", "--model", "/nonexistent.gguf", "--limit", "1", "--dataset", HumanEval);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("oci bench: Model file not found: /nonexistent.gguf", run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "cwd")));
    }

    [Fact]
    public async Task A_run_without_a_model_or_harness_check_is_a_usage_error()
    {
        var run = await BenchAsync("humaneval", "--limit", "1", "--dataset", HumanEval);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("oci bench: --model is required", run.Stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
