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
            Assert.Contains($"loaded 2 project(s), {report.Problems.Count} problem(s)", progress);
            Assert.DoesNotContain(report.Problems, p => p.StartsWith("error:", StringComparison.Ordinal));
            // Which warnings the restore gives depends on the machine's package cache (NU1603 comes only where the exact
            // version is missing); every one it wrote is reported as a warning with its code, and NU1510 is always one.
            var restoreWarnings = RestoreWarnings(corpus.PathOf("tests/CsvHelper.Tests/CsvHelper.Tests.csproj"));
            Assert.Contains(restoreWarnings, w => w.StartsWith("warning: CsvHelper.Tests.csproj: NU1510: ", StringComparison.Ordinal));
            Assert.All(restoreWarnings, w => Assert.Contains(w, report.Problems));
        }

        var after = FilesOutsideObj(corpus.Root);
        var changed = before.Keys.Union(after.Keys).Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b).ToList();
        Assert.True(changed.Count == 0, "the load wrote outside obj/: " + string.Join(", ", changed));
        try { Directory.Delete(shadow, recursive: true); } catch (IOException) { }
    }

    /// <summary>The report lines of the warnings the restore wrote into the project's obj/project.assets.json.</summary>
    private static List<string> RestoreWarnings(string projectPath)
    {
        using var assets = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(projectPath)!, "obj", "project.assets.json")));
        return [.. assets.RootElement.GetProperty("logs").EnumerateArray()
            .Where(l => l.GetProperty("level").GetString() == "Warning")
            .Select(l => $"warning: {Path.GetFileName(projectPath)}: {l.GetProperty("code").GetString()}: {l.GetProperty("message").GetString()!.Trim()}")];
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
