using OCI.Engine.Text;

namespace OCI.Engine.Tests;

/// <summary>The model's reply (written against the user's code) on top of Roslyn's fix that got part of the way.</summary>
public sealed class ThreeWayMergeTests
{
    private const string Original = "namespace Lib;\n\npublic static class C\n{\n    public static int M(string s)\n    {\n        int n = s;\n        return n;\n    }\n}\n";

    [Fact]
    public void EditsOfDifferentLinesAreBothKept()
    {
        var withUsing = "using System.Text;\n\n" + Original;
        var withBody = Original.Replace("int n = s;", "int n = s.Length;", StringComparison.Ordinal);

        var merged = ThreeWayMerge.Merge(Original, withUsing, withBody);

        Assert.Equal("using System.Text;\n\n" + withBody, merged);
    }

    [Fact]
    public void EditsOfTheSameLineConflict()
    {
        var first = Original.Replace("int n = s;", "int n = int.Parse(s);", StringComparison.Ordinal);
        var second = Original.Replace("int n = s;", "int n = s.Length;", StringComparison.Ordinal);

        Assert.Null(ThreeWayMerge.Merge(Original, first, second));
    }

    [Fact]
    public void TheSameEditOnBothSidesIsAppliedOnceAndCrlfIsKept()
    {
        var crlf = Original.Replace("\n", "\r\n", StringComparison.Ordinal);
        var edited = crlf.Replace("return n;", "return n + 1;", StringComparison.Ordinal);

        Assert.Equal(edited, ThreeWayMerge.Merge(crlf, edited, edited));
    }
}
