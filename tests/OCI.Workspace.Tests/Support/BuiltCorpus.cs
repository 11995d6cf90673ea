using OCI.Testing;

namespace OCI.Workspace.Tests.Support;

/// <summary>
/// A private, built copy of ../shared/corpus/csvhelper (never modified in place), shared by the corpus test classes:
/// copying and building it costs 15–45 s, more on a busy machine.
/// </summary>
public sealed class BuiltCorpus : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "oci-ws-tests", "corpus-" + Guid.NewGuid().ToString("N")[..12]);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public async Task InitializeAsync()
    {
        var source = Path.Combine(FixturePaths.Shared, "corpus", "csvhelper");
        Assert.True(Directory.Exists(source), $"the corpus is missing: {source} (see ../shared/corpus/README.md)");
        SourceTree.Copy(source, Root);
        await RunnerComparison.BuildAsync(Root, "CsvHelper.slnx");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

}

/// <summary>The corpus test classes share one <see cref="BuiltCorpus"/> (and so run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class CorpusCollection : ICollectionFixture<BuiltCorpus>
{
    public const string Name = "CsvHelper corpus";
}
