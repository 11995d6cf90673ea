namespace OCI.LanguageServer.Tests;

/// <summary>The fast tier stays under a minute: a class that serves a real workspace (MSBuild, builds, tests) is marked slow.</summary>
public sealed class SlowTierTests
{
    [Fact]
    public void Every_class_on_a_served_workspace_is_marked_slow() =>
        Assert.Empty(SlowTierGuard.UnmarkedClassesUsing(typeof(SlowTierTests).Assembly, typeof(IServedWorkspace)));
}
