using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// On real code (the CsvHelper corpus: 1,063 xunit tests that need ICU culture data and turn collection parallelism
/// off), the warm test host and <c>dotnet test</c> agree on every test — including the 4 that fail on Linux before any
/// change. The corpus is copied and built once for every corpus test class.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(CorpusCollection.Name)]
public sealed class CorpusRunnerAgreementTests(BuiltCorpus corpus)
{
    [Fact]
    public async Task The_warm_host_and_dotnet_test_agree_on_every_test_of_the_corpus()
    {
        var assembly = RunnerComparison.AssemblyOf(Path.Combine(corpus.Root, "tests"), "CsvHelper.Tests");

        var (warm, dotnetTest) = await RunnerComparison.RunBothAsync(assembly, corpus.Root);

        RunnerComparison.AssertAgree(warm, dotnetTest);
        Assert.Equal(1063, warm.Count);
        Assert.Equal(4, warm.Values.Count(o => o == TestOutcome.Failed));
    }
}
