using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Text;

namespace OCI.Engine.Tests;

public sealed class CodeSplicerTests
{
    private const string File = "namespace Lib;\n\npublic class C\n{\n    /// <summary>Adds.</summary>\n    // TODO: implement\n    public int Add(int a, int b)\n    {\n        throw new NotImplementedException();\n    }\n\n    public int Other() => 1;\n}\n";

    [Fact]
    public void ReplacesAMemberReindentedKeepingItsDocCommentAndDroppingTheTodo()
    {
        var text = SourceText.From(File);
        var member = MemberLocator.FindByName(CSharpSyntaxTree.ParseText(text).GetRoot(), "Add")!;

        var result = CodeSplicer.ReplaceMember(text, member, "public int Add(int a, int b)\n{\n    return a + b;\n}", ["System.Text"], removeTodoComments: true);

        Assert.Equal("using System.Text;\n\nnamespace Lib;\n\npublic class C\n{\n    /// <summary>Adds.</summary>\n    public int Add(int a, int b)\n    {\n        return a + b;\n    }\n\n    public int Other() => 1;\n}\n", result);
    }

    [Fact]
    public void ReplacesASelectionOfWholeLinesAtItsIndentation()
    {
        var text = SourceText.From("class C\n{\n    int M()\n    {\n        var x = 1;\n        return x;\n    }\n}\n");
        var start = text.ToString().IndexOf("        var x", StringComparison.Ordinal);
        var end = text.ToString().IndexOf("    }", start, StringComparison.Ordinal);

        var result = CodeSplicer.ReplaceSpan(text, TextSpan.FromBounds(start, end), "return 1;");

        Assert.Equal("class C\n{\n    int M()\n    {\n        return 1;\n    }\n}\n", result);
    }

    [Fact]
    public void UnifiedDiffShowsTheChangedLinesWithContext()
    {
        var diff = UnifiedDiff.Create("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a/f.cs", "b/f.cs");
        Assert.Equal("--- a/f.cs\n+++ b/f.cs\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n d\n", diff);
        Assert.Equal(1, UnifiedDiff.CountChangedLines("a\nb\nc\n", "a\nB\nc\n"));
        Assert.Equal(2, UnifiedDiff.CountChangedLines("a\nc\n", "a\nx\ny\nc\n"));
        Assert.Equal("", UnifiedDiff.Create("same\n", "same\n", "a", "b"));
    }
}
