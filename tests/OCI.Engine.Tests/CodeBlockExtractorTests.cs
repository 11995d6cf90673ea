using OCI.Engine.Extraction;

namespace OCI.Engine.Tests;

public sealed class CodeBlockExtractorTests
{
    [Fact]
    public void TakesTheMemberFromAFencedBlockSurroundedByProse()
    {
        var reply = "Sure! Here is the method:\n\n```csharp\npublic int Add(int a, int b)\n{\n    return a + b;\n}\n```\n\nThis adds the numbers.";
        Assert.Equal("public int Add(int a, int b)\n{\n    return a + b;\n}", CodeBlockExtractor.ExtractMember(reply, "Add"));
    }

    [Fact]
    public void TakesTheNamedMemberOutOfAWholeClassOrFile()
    {
        var reply = "```csharp\nusing System;\n\nnamespace Lib;\n\npublic class Calculator\n{\n    public int Twice(int x) => x * 2;\n\n    public int Add(int a, int b) => a + b;\n}\n```";
        Assert.Equal("public int Add(int a, int b) => a + b;", CodeBlockExtractor.ExtractMember(reply, "Add"));
        Assert.Equal(["System"], CodeBlockExtractor.UsingDirectives(reply));
    }

    [Fact]
    public void PicksTheBlockThatParsesWhenThereAreSeveral()
    {
        // A broken first attempt, then the real one, then a usage example that also mentions Add.
        var reply = "```csharp\npublic int Add(int a, int b)\n{\n    return a +\n```\nOops, again:\n```csharp\npublic int Add(int a, int b)\n{\n    return a + b;\n}\n```\nUsage:\n```csharp\nvar sum = calculator.Add(1, 2);\n```";
        Assert.Equal("public int Add(int a, int b)\n{\n    return a + b;\n}", CodeBlockExtractor.ExtractMember(reply, "Add"));
    }

    [Fact]
    public void ToleratesAMissingFence()
    {
        var reply = "The fix is below.\npublic int Add(int a, int b)\n{\n    return a + b;\n}";
        Assert.Equal("public int Add(int a, int b)\n{\n    return a + b;\n}", CodeBlockExtractor.ExtractMember(reply, "Add"));
    }

    [Fact]
    public void ToleratesAnUnterminatedFenceAndOtherLanguageTags()
    {
        var blocks = CodeBlockExtractor.Blocks("```cs\nint x = 1;\n```\n```\nvar y = 2;");
        Assert.Equal(2, blocks.Count);
        Assert.True(blocks[0].IsCSharp);
        Assert.Equal("var y = 2;", blocks[1].Code);
    }

    [Fact]
    public void PrefersTheOverloadWithTheSameParameterCount()
    {
        var reply = "```csharp\npublic int Add(int a) => a;\npublic int Add(int a, int b) => a + b;\n```";
        Assert.Equal("public int Add(int a, int b) => a + b;", CodeBlockExtractor.ExtractMember(reply, "Add", parameterCount: 2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot help with that.")]
    [InlineData("The answer is to add the two numbers together")]
    public void ProseAloneHoldsNoCode(string reply)
    {
        Assert.Empty(CodeBlockExtractor.Blocks(reply));
        Assert.Null(CodeBlockExtractor.ExtractMember(reply, "Add"));
        Assert.Null(CodeBlockExtractor.ExtractFile(reply));
    }

    [Fact]
    public void ExtractsAWholeFile()
    {
        var reply = "```csharp\nusing System.Text;\n\nnamespace Lib;\n\npublic class A { }\n```";
        Assert.Equal("using System.Text;\n\nnamespace Lib;\n\npublic class A { }\n", CodeBlockExtractor.ExtractFile(reply));
    }

    [Fact]
    public void AMemberAfterUsingDirectivesIsFound()
    {
        const string reply = "```csharp\nusing System.Text;\nusing System.Text.RegularExpressions;\n\npublic static string Join(string[] parts)\n{\n    return string.Concat(parts);\n}\n```";

        var member = CodeBlockExtractor.ExtractMember(reply, "Join", 1);

        Assert.Equal("public static string Join(string[] parts)\n{\n    return string.Concat(parts);\n}", member);
        Assert.Equal(["System.Text", "System.Text.RegularExpressions"], CodeBlockExtractor.UsingDirectives(reply));
    }
}
