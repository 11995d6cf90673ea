using OCI.Testing;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// On real code (the CsvHelper corpus: 1,063 xunit tests that need ICU culture data and turn collection parallelism
/// off), the warm test host and <c>dotnet test</c> agree on every test — including the 4 that fail on Linux before any
/// change. The corpus is copied and built once for the class.
/// </summary>
public sealed class CorpusRunnerAgreementTests(CorpusRunnerAgreementTests.BuiltCorpus corpus) : IClassFixture<CorpusRunnerAgreementTests.BuiltCorpus>
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

    /// <summary>A private, built copy of ../shared/corpus/csvhelper (never modified in place).</summary>
    public sealed class BuiltCorpus : IAsyncLifetime
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "oci-ws-tests", "corpus-" + Guid.NewGuid().ToString("N")[..12]);

        public async Task InitializeAsync()
        {
            var source = Path.Combine(FixturePaths.Shared, "corpus", "csvhelper");
            Assert.True(Directory.Exists(source), $"the corpus is missing: {source} (see ../shared/corpus/README.md)");
            CopyDirectory(source, Root);
            await RunnerComparison.BuildAsync(Root, "CsvHelper.slnx");
        }

        public Task DisposeAsync()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return Task.CompletedTask;
        }

        internal static void CopyDirectory(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            foreach (var directory in Directory.EnumerateDirectories(source))
            {
                var name = Path.GetFileName(directory);
                if (name is "bin" or "obj" or ".git") continue;
                CopyDirectory(directory, Path.Combine(target, name));
            }
        }
    }
}
