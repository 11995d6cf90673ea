using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace.Tests.Support;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>Restore-on-load restores what the solution contains, and nothing else in the tree.</summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RestoreOnLoadTests
{
    [Fact]
    public async Task A_project_in_the_tree_but_not_in_the_solution_is_not_restored()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        var extra = Path.Combine(copy.Root, "tools", "Extra");
        Directory.CreateDirectory(extra);
        File.WriteAllText(Path.Combine(extra, "Extra.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n</Project>\n");
        File.WriteAllText(Path.Combine(extra, "Tool.cs"), "namespace Extra;\n\npublic static class Tool { }\n");

        await using var host = await MSBuildWorkspaceHost.OpenAsync(copy.Root, new VerificationSettings { ShadowRoot = copy.ShadowRoot },
            NullLoggerFactory.Instance, null, CancellationToken.None);

        Assert.True(File.Exists(copy.PathOf("Calc.Tests/obj/project.assets.json")), "the solution's projects were not restored");
        Assert.True(File.Exists(copy.PathOf("Calc/obj/project.assets.json")));
        Assert.False(Directory.Exists(Path.Combine(extra, "obj")), "a project outside the solution was restored");
        Assert.Equal(2, host.LoadReport.LoadedProjects.Count);
    }
}
