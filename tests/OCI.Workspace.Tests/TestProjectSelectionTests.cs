using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Testing;

namespace OCI.Workspace.Tests;

public sealed class TestProjectSelectionTests
{
    private static (Project A, Project B, Project C) ThreeTestProjects()
    {
        using var workspace = new AdhocWorkspace();
        Project Add(string name, string source)
        {
            var project = workspace.AddProject(name, LanguageNames.CSharp);
            return workspace.AddDocument(project.Id, "Tests.cs", SourceText.From(source)).Project;
        }
        var a = Add("A.Tests", "namespace A.Tests; public class CalcTests { public void Add() {} public class Nested { public void M() {} } }");
        var b = Add("B.Tests", "namespace B.Tests { public class CalcTests { public void Add() {} } }");
        var c = Add("C.Tests", "namespace C.Tests.Deep; public class OtherTests { public void Sub() {} }");
        var solution = workspace.CurrentSolution;
        return (solution.GetProject(a.Id)!, solution.GetProject(b.Id)!, solution.GetProject(c.Id)!);
    }

    [Fact]
    public async Task A_filter_of_test_names_starts_only_the_projects_that_declare_them()
    {
        var (a, b, c) = ThreeTestProjects();
        IReadOnlyList<Project> all = [a, b, c];
        async Task<string[]> Selecting(string? filter) => [.. (await TestProjectSelection.SelectingAsync(all, filter, CancellationToken.None)).Select(p => p.Name)];

        Assert.Equal(["A.Tests"], await Selecting("FullyQualifiedName~A.Tests.CalcTests.Add"));
        Assert.Equal(["A.Tests", "C.Tests"], await Selecting("FullyQualifiedName~A.Tests.CalcTests.Add|FullyQualifiedName=C.Tests.Deep.OtherTests.Sub"));
        Assert.Equal(["A.Tests"], await Selecting("FullyQualifiedName~A.Tests.CalcTests+Nested.M"));
        Assert.Equal(["C.Tests"], await Selecting("FullyQualifiedName~C.Tests")); // a namespace
        Assert.Equal(["B.Tests"], await Selecting("FullyQualifiedName~B.Tests.CalcTests"));

        // Anything else keeps every project: no filter, a trait, a partial name, a name no project declares.
        Assert.Equal(3, (await Selecting(null)).Length);
        Assert.Equal(3, (await Selecting("Category=Fast")).Length);
        Assert.Equal(3, (await Selecting("FullyQualifiedName~CalcTests.Add")).Length);
        Assert.Equal(3, (await Selecting("FullyQualifiedName~A.Tests.Elsewhere.Add")).Length);
    }

    [Fact]
    public void A_round_runs_one_framework_of_a_multi_targeted_test_project_the_newest_dotnet_one()
    {
        using var workspace = new AdhocWorkspace();
        Project Add(string name, string file) => workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, name, "A", LanguageNames.CSharp, filePath: file));
        IReadOnlyList<Project> projects =
        [
            Add("A.Tests(net48)", "/r/A.Tests.csproj"),
            Add("A.Tests(net8.0)", "/r/A.Tests.csproj"),
            Add("A.Tests(net10.0)", "/r/A.Tests.csproj"),
            Add("A.Tests(net9.0)", "/r/A.Tests.csproj"),
            Add("B.Tests", "/r/B.Tests.csproj"),
            Add("C.Tests(netcoreapp3.1)", "/r/C.Tests.csproj"),
            Add("C.Tests(net462)", "/r/C.Tests.csproj"),
        ];
        Assert.Equal(["A.Tests(net10.0)", "B.Tests", "C.Tests(netcoreapp3.1)"], TestProjectSelection.OneTargetFrameworkEach(projects).Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
