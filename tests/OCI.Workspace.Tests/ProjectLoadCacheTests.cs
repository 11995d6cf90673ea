using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Loading;
using OCI.Workspace.Tests.Support;

namespace OCI.Workspace.Tests;

/// <summary>
/// The project load cache: a restarted host serves the solution MSBuild loaded last time (same projects, files,
/// references, options, so the same compile errors) at once, MSBuild confirms it in the background and replaces it;
/// a change to a project file or to the set of source files makes the next load go through MSBuild; the cache is never
/// written into the user's tree.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ProjectLoadCacheTests
{
    private static VerificationSettings Settings(WorkspaceCopy copy) => new() { ShadowRoot = copy.ShadowRoot, KnownFailuresOnLoad = false };

    [Fact]
    public async Task A_restart_serves_the_cached_solution_with_the_same_errors_until_MSBuild_confirms_it()
    {
        using var copy = WorkspaceCopy.OfFixture("CompileError");
        var cache = ProjectLoadCache.PathFor(copy.Root, copy.ShadowRoot);
        Shape cold;
        await using (var first = await OpenAsync(copy))
        {
            Assert.False(first.ServingFromLoadCache);
            cold = await ShapeOfAsync(first.CurrentSolution);
            Assert.NotEmpty(cold.Errors); // the fixture does not compile: its errors must survive the cache
            await WaitForAsync(() => Task.FromResult(File.Exists(cache)), "the load cache to be written");
        }
        var tree = TreeSnapshot.Take(copy.Root);

        var progress = new List<string>();
        await using var restarted = await MSBuildWorkspaceHost.OpenAsync(copy.Root, Settings(copy), NullLoggerFactory.Instance,
            new SynchronousProgress(line => { lock (progress) progress.Add(line); }), CancellationToken.None, deferBackgroundWork: true);

        Assert.True(restarted.ServingFromLoadCache);
        Assert.Contains(progress, p => p.Contains("from the load cache", StringComparison.Ordinal));
        Assert.Equal(cold, await ShapeOfAsync(restarted.CurrentSolution));
        Assert.False(restarted.LoadConfirmed.IsCompleted); // MSBuild waits until the editor's first needs are served

        restarted.StartBackgroundWork();
        await restarted.LoadConfirmed.WaitAsync(TestWaits.Seconds(120));
        Assert.False(restarted.ServingFromLoadCache);
        Assert.Equal(cold, await ShapeOfAsync(restarted.CurrentSolution));
        Assert.True(File.Exists(cache));
        TreeSnapshot.AssertUnchanged(tree, copy.Root);
    }

    [Fact]
    public async Task A_new_source_file_or_a_changed_project_file_makes_the_next_load_go_through_MSBuild()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        var cache = ProjectLoadCache.PathFor(copy.Root, copy.ShadowRoot);
        await using (var first = await OpenAsync(copy))
        {
            await WaitForAsync(() => Task.FromResult(File.Exists(cache)), "the load cache to be written");
        }
        var added = copy.PathOf("Calc/Added.cs");
        File.WriteAllText(added, "namespace Calc;\n\npublic static class Added { }\n");
        await using (var afterNewFile = await OpenAsync(copy))
        {
            Assert.False(afterNewFile.ServingFromLoadCache);
            Assert.NotEmpty(afterNewFile.CurrentSolution.GetDocumentIdsWithFilePath(added));
        }
        await WaitForAsync(() => IsFromCacheAsync(copy), "the load cache to be rewritten with the new file");

        var project = copy.PathOf("Calc/Calc.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", "  <!-- changed -->\n</Project>", StringComparison.Ordinal));
        await using var afterProjectChange = await OpenAsync(copy);
        Assert.False(afterProjectChange.ServingFromLoadCache);
    }

    private static Task<MSBuildWorkspaceHost> OpenAsync(WorkspaceCopy copy) =>
        MSBuildWorkspaceHost.OpenAsync(copy.Root, Settings(copy), NullLoggerFactory.Instance, null, CancellationToken.None);

    private static async Task<bool> IsFromCacheAsync(WorkspaceCopy copy)
    {
        await using var host = await OpenAsync(copy);
        return host.ServingFromLoadCache;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestWaits.Seconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    /// <summary>What a load decides: projects, their files and references, options, and the compile errors.</summary>
    private sealed record Shape(string Projects, string Errors);

    private static async Task<Shape> ShapeOfAsync(Solution solution)
    {
        var projects = new List<string>();
        var errors = new List<string>();
        foreach (var project in solution.Projects.OrderBy(p => p.FilePath, StringComparer.Ordinal))
        {
            var references = project.MetadataReferences.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath)).Order(StringComparer.Ordinal);
            var projectReferences = project.ProjectReferences.Select(r => solution.GetProject(r.ProjectId)?.Name).Order(StringComparer.Ordinal);
            var documents = project.Documents.Select(d => d.FilePath).Order(StringComparer.Ordinal);
            var options = project.CompilationOptions!;
            projects.Add($"{project.Name} {project.AssemblyName} {options.OutputKind} {options.NullableContextOptions} {project.ParseOptions!.DocumentationMode} " +
                $"[{string.Join(",", documents)}] [{string.Join(",", references)}] [{string.Join(",", projectReferences)}]");
            var compilation = await project.GetCompilationAsync();
            errors.AddRange(compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{d.Id} {d.Location.GetLineSpan()}"));
        }
        return new Shape(string.Join("\n", projects), string.Join("\n", errors.Order(StringComparer.Ordinal)));
    }
}
