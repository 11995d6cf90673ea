using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// The real Microsoft.Testing.Platform repository (../shared/corpus/nsubstitute: NUnit 4 with EnableNUnitRunner under an
/// MTP global.json, where <c>dotnet test &lt;dll&gt; --logger trx</c> is refused): its two test applications run
/// themselves, the whole suite says what <c>dotnet test</c> says (878 passed, 22 skipped), and a wrong library change
/// fails the right NUnit tests with NUnit's own assertion text — the same tests <c>dotnet test</c> fails.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class NSubstituteCorpusTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "oci-ws-tests", "nsubstitute-" + Guid.NewGuid().ToString("N")[..12]);

    private string[] Assemblies =>
    [
        Path.Combine(_root, "tests", "NSubstitute.Acceptance.Specs", "bin", "Debug", "net10.0", "NSubstitute.Acceptance.Specs.dll"),
        Path.Combine(_root, "tests", "NSubstitute.Documentation.Tests", "bin", "Debug", "net10.0", "NSubstitute.Documentation.Tests.dll"),
    ];

    [Fact]
    public async Task The_whole_suite_and_a_failing_candidate_get_the_verdicts_dotnet_test_gives()
    {
        var source = Path.Combine(FixturePaths.Shared, "corpus", "nsubstitute");
        Assert.True(Directory.Exists(source), $"the corpus is missing: {source} (see ../shared/corpus/README.md)");
        SourceTree.Copy(source, _root);
        await BuildAsync();
        using var runner = new TestRoundRunner(_root, PlainScope.For(_root), useWarmHost: true, NullLogger.Instance);
        var round = 0;
        string Fresh() => Path.Combine(_root, "oci-results", (++round).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var whole = await runner.RunAsync(Assemblies, _root, Fresh, null, RunnerComparison.Timeout, p => p, CancellationToken.None);
        Assert.Equal(TestRunners.TestApplication, whole.Runner);
        Assert.False(whole.Crashed || whole.TimedOut, whole.Output);
        Assert.Equal((900, 878, 0, 22), (whole.Results.Count, Count(whole, TestOutcome.Passed), Count(whole, TestOutcome.Failed), Count(whole, TestOutcome.Skipped)));

        // A wrong candidate: the received-calls message says "precisely" where the specs expect "exactly".
        var quantity = Path.Combine(_root, "src", "NSubstitute", "Extensions", "ReceivedExtensions.cs");
        File.WriteAllText(quantity, File.ReadAllText(quantity).Replace("\"exactly {0} {1}\"", "\"precisely {0} {1}\"", StringComparison.Ordinal));
        await BuildAsync();
        var wrong = await runner.RunAsync(Assemblies, _root, Fresh, null, RunnerComparison.Timeout, p => p, CancellationToken.None);
        Assert.False(wrong.Crashed || wrong.TimedOut, wrong.Output);
        var failed = wrong.Results.Where(r => r.Outcome == TestOutcome.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), f.Name));
        Assert.Contains(failed, f => f.Name.StartsWith("NSubstitute.Acceptance.Specs.FormattingCallsWhenThrowingReceivedCallsExceptions", StringComparison.Ordinal)
            && f.Message!.Contains("Expected to receive exactly", StringComparison.Ordinal));

        var reference = new Dictionary<string, TestOutcome>(StringComparer.Ordinal);
        foreach (var project in new[] { "NSubstitute.Acceptance.Specs", "NSubstitute.Documentation.Tests" })
        {
            foreach (var result in await MtpReports.DotnetTestAsync(_root, $"tests/{project}/{project}.csproj", TestFramework.NUnit, Fresh())) reference[result.Name] = result.Outcome;
        }
        RunnerComparison.AssertAgree(RunnerComparison.Verdicts(wrong), reference);

        // The impacted tests only: NUnit's runner takes the engine's filter as it is.
        var first = failed.First(f => !f.Name.Contains('(', StringComparison.Ordinal)).Name;
        var filtered = await runner.RunAsync(Assemblies, _root, Fresh, $"FullyQualifiedName~{first}", RunnerComparison.Timeout, p => p, CancellationToken.None);
        Assert.False(filtered.Crashed, filtered.Output); // the documentation tests select nothing: exit code 8, not a crash
        Assert.Equal(first, Assert.Single(filtered.Results, r => r.Outcome == TestOutcome.Failed).Name);
    }

    /// <summary>Generous: about a minute on a quiet machine, many on a busy one.</summary>
    private async Task BuildAsync()
    {
        var build = await OCI.Workspace.Processes.ProcessRunner.RunAsync("dotnet", ["build", "NSubstitute.slnx", "-nologo"], _root, TimeSpan.FromMinutes(40), CancellationToken.None);
        Assert.True(build.ExitCode == 0, "dotnet build failed:\n" + build.StandardOutput + build.StandardError);
    }

    private static int Count(TestRunOutcome outcome, TestOutcome which) => outcome.Results.Count(r => r.Outcome == which);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
