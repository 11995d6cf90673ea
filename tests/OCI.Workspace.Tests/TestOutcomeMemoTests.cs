using OCI.Workspace.Shadow;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// Test results of identical inputs: a round on the same sources, binaries and folder takes the results of the tests an
/// earlier round ran, clause by clause, and runs only the others; any change of a binary or of the sources is a new key.
/// </summary>
public sealed class TestOutcomeMemoTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oci-memo-" + Guid.NewGuid().ToString("N"));

    public TestOutcomeMemoTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "runtimes"));
        File.WriteAllText(Path.Combine(_folder, "Lib.Tests.dll"), "tests v1");
        File.WriteAllText(Path.Combine(_folder, "Lib.dll"), "lib v1");
        File.WriteAllText(Path.Combine(_folder, "runtimes", "native.so"), "native");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Assembly => Path.Combine(_folder, "Lib.Tests.dll");

    private static TestCaseResult Passed(string name) => new(name, TestOutcome.Passed);

    [Fact]
    public void A_round_on_the_same_inputs_takes_the_results_of_the_clauses_an_earlier_round_ran_and_runs_the_rest()
    {
        var memo = new TestOutcomeMemo();
        var key = memo.KeyOf("sources-1", [Assembly], _folder)!;
        memo.Record(key, TestOutcomeMemo.ClausesOf("FullyQualifiedName~Lib.Tests.A.One|FullyQualifiedName~Lib.Tests.A.Two"),
            [Passed("Lib.Tests.A.One"), Passed("Lib.Tests.A.Two(x: 1)"), Passed("Lib.Tests.A.Two(x: 2)")]);

        var (results, unanswered) = memo.Lookup(key, TestOutcomeMemo.ClausesOf("FullyQualifiedName~Lib.Tests.A.Two|FullyQualifiedName~Lib.Tests.B.Three")!);

        Assert.Equal(["Lib.Tests.A.Two(x: 1)", "Lib.Tests.A.Two(x: 2)"], results.Select(r => r.Name));
        Assert.Equal("Lib.Tests.B.Three", Assert.Single(unanswered).Value);
    }

    [Fact]
    public void A_run_that_only_added_files_beside_its_assemblies_is_told_from_one_that_changed_or_deleted_some()
    {
        var memo = new TestOutcomeMemo();
        var before = memo.InputsOf("sources-1", [Assembly], _folder)!;

        Directory.CreateDirectory(Path.Combine(_folder, "BenchmarkDotNet.Artifacts"));
        File.WriteAllText(Path.Combine(_folder, "BenchmarkDotNet.Artifacts", "run-060713.log"), "a benchmark's log");
        var added = memo.InputsOf("sources-1", [Assembly], _folder)!;
        Assert.NotEqual(before.Key, added.Key);
        Assert.True(TestOutcomeMemo.OnlyAdded(before, added));

        File.WriteAllText(Path.Combine(_folder, "Lib.dll"), "lib rewritten by a test");
        Assert.False(TestOutcomeMemo.OnlyAdded(before, memo.InputsOf("sources-1", [Assembly], _folder)!));
        File.WriteAllText(Path.Combine(_folder, "Lib.dll"), "lib v1");
        File.Delete(Path.Combine(_folder, "runtimes", "native.so"));
        Assert.False(TestOutcomeMemo.OnlyAdded(before, memo.InputsOf("sources-1", [Assembly], _folder)!));
    }

    [Fact]
    public void Another_binary_other_sources_or_another_folder_is_another_key()
    {
        var memo = new TestOutcomeMemo();
        var key = memo.KeyOf("sources-1", [Assembly], _folder);

        Assert.NotNull(key);
        Assert.Equal(key, memo.KeyOf("sources-1", [Assembly], _folder));
        Assert.NotEqual(key, memo.KeyOf("sources-2", [Assembly], _folder));
        Assert.NotEqual(key, memo.KeyOf("sources-1", [Assembly], Path.GetTempPath()));
        File.WriteAllText(Path.Combine(_folder, "runtimes", "native.so"), "native, rebuilt"); // a dependency in a subfolder
        Assert.NotEqual(key, memo.KeyOf("sources-1", [Assembly], _folder));
        File.WriteAllText(Path.Combine(_folder, "runtimes", "native.so"), "native");
        Assert.Equal(key, memo.KeyOf("sources-1", [Assembly], _folder)); // the same bytes again: the same key
        File.WriteAllText(Path.Combine(_folder, "data.csv"), "a test wrote a file");
        Assert.NotEqual(key, memo.KeyOf("sources-1", [Assembly], _folder));
    }

    [Fact]
    public void A_whole_suite_answers_clauses_by_qualified_name_unless_a_result_carries_a_display_name()
    {
        var memo = new TestOutcomeMemo();
        var key = memo.KeyOf("sources-1", [Assembly], _folder)!;
        var clauses = TestOutcomeMemo.ClausesOf("FullyQualifiedName~Lib.Tests.A.One|FullyQualifiedName=Lib.Tests.A.Two")!;
        memo.Record(key, null, [Passed("Lib.Tests.A.One"), Passed("Lib.Tests.A.OneMore"), Passed("Lib.Tests.A.Two"), Passed("Lib.Tests.A.Twofold"), new("Lib.Tests.B.Three", TestOutcome.Failed, "boom")]);
        var withDisplayName = new TestOutcomeMemo();
        var otherKey = withDisplayName.KeyOf("sources-1", [Assembly], _folder)!;
        withDisplayName.Record(otherKey, null, [Passed("Lib.Tests.A.One"), Passed("Adds two numbers")]);

        var (results, unanswered) = memo.Lookup(key, clauses);
        var (_, notAnswered) = withDisplayName.Lookup(otherKey, clauses);

        // "~" selects as a filter does (every name containing it), "=" only the name itself.
        Assert.Equal(["Lib.Tests.A.One", "Lib.Tests.A.OneMore", "Lib.Tests.A.Two"], results.Select(r => r.Name));
        Assert.Empty(unanswered);
        Assert.Equal(2, notAnswered.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("FullyQualifiedName~A&FullyQualifiedName~B")]
    [InlineData("Category=Slow")]
    [InlineData("FullyQualifiedName!~A")]
    public void Only_alternatives_of_test_names_are_answered(string? filter) => Assert.Null(TestOutcomeMemo.ClausesOf(filter));
}
