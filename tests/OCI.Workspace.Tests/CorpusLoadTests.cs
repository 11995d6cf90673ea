using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace.Tests.Support;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// Loading real code (the built CsvHelper corpus, whose test project references coverlet.collector and gets NuGet
/// restore warnings) writes nothing outside obj/, reports the restore warnings as warnings, and counts both projects.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
[Collection(CorpusCollection.Name)]
public sealed class CorpusLoadTests(BuiltCorpus corpus)
{
    [Fact]
    public async Task Loading_the_built_corpus_writes_nothing_outside_obj_and_reports_restore_warnings_as_warnings()
    {
        var before = FilesOutsideObj(corpus.Root);
        Assert.Contains(before.Keys, path => path.EndsWith("CoverletSourceRootsMapping", StringComparison.Ordinal)); // the build's own, in bin/
        var progress = new List<string>();
        var shadow = Path.Combine(Path.GetTempPath(), "oci-ws-tests", "corpus-shadow-" + Guid.NewGuid().ToString("N")[..8]);

        await using (var host = await MSBuildWorkspaceHost.OpenAsync(corpus.Root, new VerificationSettings { ShadowRoot = shadow },
            NullLoggerFactory.Instance, new SynchronousProgress(line => { lock (progress) progress.Add(line); }), CancellationToken.None))
        {
            var report = host.LoadReport;
            var described = string.Join("\n", progress.Concat(report.Problems));
            Assert.True(report.LoadedProjects.Count == 2, described);
            Assert.Contains("loaded 2 project(s), 4 problem(s)", progress);
            Assert.DoesNotContain(report.Problems, p => p.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains(report.Problems, p => p.StartsWith("warning: CsvHelper.Tests.csproj: NU1603: ", StringComparison.Ordinal));
            Assert.Contains(report.Problems, p => p.StartsWith("warning: CsvHelper.Tests.csproj: NU1510: ", StringComparison.Ordinal));
        }

        var after = FilesOutsideObj(corpus.Root);
        var changed = before.Keys.Union(after.Keys).Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b).ToList();
        Assert.True(changed.Count == 0, "the load wrote outside obj/: " + string.Join(", ", changed));
        try { Directory.Delete(shadow, recursive: true); } catch (IOException) { }
    }

    /// <summary>Every file not under an obj/ folder, with its length, write time and content hash.</summary>
    private static Dictionary<string, string> FilesOutsideObj(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Contains("obj"))
            .ToDictionary(f => Path.GetRelativePath(root, f), f =>
            {
                var info = new FileInfo(f);
                return $"{info.Length}:{info.LastWriteTimeUtc.Ticks}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}";
            }, StringComparer.Ordinal);
}
