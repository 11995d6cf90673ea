using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Processes;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests.Support;

/// <summary>
/// Runs one built test assembly with both runners the refine loop uses — the warm test host (through the real
/// <see cref="TestRoundRunner"/>) and <c>dotnet test</c> — and gives each one's verdict per test.
/// </summary>
internal static class RunnerComparison
{
    /// <summary>Generous: the machine may be busy with other builds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task BuildAsync(string folder, string solution)
    {
        var build = await ProcessRunner.RunAsync("dotnet", ["build", solution, "-nologo"], folder, TestWaits.Scaled(TimeSpan.FromMinutes(10)), CancellationToken.None);
        Assert.True(build.ExitCode == 0, "dotnet build failed:\n" + build.StandardOutput + build.StandardError);
    }

    /// <summary>The test assembly of <paramref name="project"/> (a folder under <paramref name="root"/>), Debug build.</summary>
    public static string AssemblyOf(string root, string project) =>
        Path.Combine(root, project, "bin", "Debug", "net10.0", project + ".dll");

    public static async Task<(IReadOnlyDictionary<string, TestOutcome> Warm, IReadOnlyDictionary<string, TestOutcome> DotnetTest)> RunBothAsync(string testAssembly, string workingDirectory)
    {
        using var runner = new TestRoundRunner(workingDirectory, PlainScope.For(workingDirectory), useWarmHost: true, NullLogger.Instance);
        Assert.Null(runner.WhyNotWarmHost([testAssembly], null, out _));
        var warm = await runner.RunAsync([testAssembly], workingDirectory, () => throw new InvalidOperationException("the warm host fell back to dotnet test"),
            null, Timeout, p => p, CancellationToken.None);
        Assert.Equal(TestRunners.WarmHost, warm.Runner);
        Assert.False(warm.TimedOut || warm.Crashed, warm.Output);

        var results = Path.Combine(workingDirectory, "oci-comparison-results");
        var dotnetTest = await DotnetTestRun.RunAsync([testAssembly], workingDirectory, results, null, Timeout, p => p, PlainScope.For(workingDirectory), CancellationToken.None);
        Assert.False(dotnetTest.TimedOut || dotnetTest.Crashed, dotnetTest.Output);
        return (Verdicts(warm), Verdicts(dotnetTest));
    }

    public static IReadOnlyDictionary<string, TestOutcome> Verdicts(TestRunOutcome outcome) =>
        outcome.Results.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Outcome, StringComparer.Ordinal);

    /// <summary>Asserts equal verdicts, naming every test on which the runners differ.</summary>
    public static void AssertAgree(IReadOnlyDictionary<string, TestOutcome> warm, IReadOnlyDictionary<string, TestOutcome> dotnetTest)
    {
        var differences = warm.Keys.Union(dotnetTest.Keys).Order(StringComparer.Ordinal)
            .Where(name => !warm.TryGetValue(name, out var w) || !dotnetTest.TryGetValue(name, out var d) || w != d)
            .Select(name => $"{name}: warm host {(warm.TryGetValue(name, out var w) ? w : "absent")}, dotnet test {(dotnetTest.TryGetValue(name, out var d) ? d : "absent")}")
            .ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} test(s) differ:\n" + string.Join('\n', differences.Take(40)));
        Assert.NotEmpty(warm);
    }
}
