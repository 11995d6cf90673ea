using OCI.Workspace.Loading;

namespace OCI.Workspace.Tests;

/// <summary>A folder with two solutions: which one is opened, the sentence that tells the user, and the setting that chooses.</summary>
public sealed class SolutionChoiceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("oci-solutions-").FullName;

    public SolutionChoiceTests()
    {
        File.WriteAllText(Path.Combine(_root, "Alpha.sln"), "");
        File.WriteAllText(Path.Combine(_root, "Beta.slnx"), "<Solution />");
    }

    [Fact]
    public void Without_the_setting_the_first_is_opened_and_the_notice_names_the_other_and_the_setting()
    {
        var entry = WorkspaceDiscovery.Find(_root);

        Assert.Equal(Path.Combine(_root, "Alpha.sln"), entry.SolutionPath);
        Assert.Equal([Path.Combine(_root, "Beta.slnx")], entry.OtherSolutions);
        Assert.Contains("Alpha.sln was opened", entry.ChoiceNotice, StringComparison.Ordinal);
        Assert.Contains("Beta.slnx", entry.ChoiceNotice, StringComparison.Ordinal);
        Assert.Contains("oci.verification.solution", entry.ChoiceNotice, StringComparison.Ordinal);
    }

    [Fact]
    public void The_setting_chooses_the_solution()
    {
        var entry = WorkspaceDiscovery.Find(_root, preferredSolution: "Beta.slnx");

        Assert.Equal(Path.Combine(_root, "Beta.slnx"), entry.SolutionPath);
        Assert.Equal([Path.Combine(_root, "Alpha.sln")], entry.OtherSolutions);
    }

    [Fact]
    public void One_solution_needs_no_notice()
    {
        File.Delete(Path.Combine(_root, "Beta.slnx"));

        Assert.Null(WorkspaceDiscovery.Find(_root).ChoiceNotice);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
