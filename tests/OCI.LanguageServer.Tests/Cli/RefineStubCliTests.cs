namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// <c>oci refine --apply</c> on tests/fixtures/StubFix, no model: Roslyn's only compiling fix for the misspelt
/// <c>Items.ZqAdd(item)</c> is "Generate method 'ZqAdd'", a stub the three tests reach. Its diff is printed, it is not
/// written, the CLI says why, and the run is not verified (exit 1).
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RefineStubCliTests
{
    [Fact]
    public async Task The_generated_stub_is_printed_but_apply_does_not_write_it_and_says_why()
    {
        using var copy = WorkspaceCopy.OfFixture("StubFix");
        var itemList = copy.PathOf("Inventory/ItemList.cs");
        var before = File.ReadAllBytes(itemList);

        var run = await CliRun.StartAsync(["refine", copy.Root, "--file", "Inventory/Shelf.cs", "--kind", "fixDiagnostic", "--line", "10", "--apply"],
            Path.Combine(copy.Container, "tmp"), timeout: TestWaits.Scaled(TimeSpan.FromMinutes(8)));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("--- a/Inventory/ItemList.cs", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("+        throw new NotImplementedException();", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("compiles but adds a stub that throws NotImplementedException (ZqAdd), reached by 3 tests", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not applied: the diff above is not verified (compiles; 3 tests fail: NotImplementedException from the generated ZqAdd); --apply writes only a verified result",
            run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("applied to", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(itemList));
    }
}
