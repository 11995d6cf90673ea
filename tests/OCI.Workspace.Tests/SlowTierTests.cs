using OCI.Testing;
using OCI.Workspace.Tests.Support;

namespace OCI.Workspace.Tests;

/// <summary>The fast tier stays under a minute: a class that opens a workspace with MSBuild is marked slow.</summary>
public sealed class SlowTierTests
{
    [Fact]
    public void Every_class_that_opens_a_workspace_is_marked_slow() =>
        Assert.Empty(SlowTierGuard.UnmarkedClassesUsing(typeof(SlowTierTests).Assembly, typeof(OpenedFixture)));
}
