using OCI.Engine.Text;

namespace OCI.Engine.Tests;

/// <summary>The printed diff is byte-faithful: each line keeps its own ending, and a missing last newline is marked.</summary>
public sealed class UnifiedDiffLineEndingTests
{
    [Fact]
    public void Lines_of_a_crlf_file_keep_their_carriage_returns()
    {
        var diff = UnifiedDiff.Create("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", "a/f.cs", "b/f.cs");

        Assert.Equal("--- a/f.cs\n+++ b/f.cs\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n", diff);
    }

    [Fact]
    public void A_last_line_without_a_newline_is_marked_as_git_does()
    {
        var diff = UnifiedDiff.Create("a\nb", "a\nb\nc", "a/f", "b/f");

        Assert.Equal("--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n", diff);
    }

    [Fact]
    public void A_changed_line_ending_alone_is_a_change()
    {
        // The removed line keeps its CR, so the diff shows what changed.
        Assert.Equal("--- a\n+++ b\n@@ -1,1 +1,1 @@\n-a\r\n+a\n", UnifiedDiff.Create("a\r\n", "a\n", "a", "b"));
        Assert.Equal(0, UnifiedDiff.CountChangedLines("a\r\n", "a\n"));
    }
}
