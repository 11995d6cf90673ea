using OCI.HumanEval;
using Xunit;

namespace OCI.HumanEval.Tests;

/// <summary>Replies come in many shapes; each must yield the body the tests need, or no candidate at all.</summary>
public sealed class CompletionExtractorTests
{
    private static readonly string[] Stop = ["\n    }\n"];

    private static ExtractedCompletion Extract(string reply) =>
        CompletionExtractor.Extract(reply, "Add", Stop, "using System;\nusing System.Linq;\n") ?? throw new InvalidOperationException("no code");

    [Fact]
    public void Takes_the_fenced_block_that_defines_the_method_among_several()
    {
        var reply = "Usage:\n```csharp\nConsole.WriteLine(Add(1, 2));\n```\nCode:\n```csharp\npublic static long Add(long a, long b) {\n    return a + b;\n}\n```\nDone.";
        var completion = Extract(reply);
        Assert.True(completion.WasFullMethod);
        Assert.Equal("    return a + b;", completion.Body);
    }

    [Fact]
    public void Takes_a_method_from_unfenced_prose()
    {
        var completion = Extract("Sure! public static long Add(long a, long b) { return a + b; } That adds them.");
        Assert.Equal("return a + b;", completion.Body.Trim());
    }

    [Fact]
    public void An_expression_bodied_method_becomes_a_return()
    {
        Assert.Equal("        return a + b;", Extract("```\npublic static long Add(long a, long b) => a + b;\n```").Body);
    }

    [Fact]
    public void A_whole_class_gives_the_method_and_its_helpers_made_static_but_not_its_Main()
    {
        var reply = """
            ```csharp
            using System.Text.RegularExpressions;
            using System.Linq;
            public class Solution {
                private int _unused;
                public long Add(long a, long b) { return Twice(a) + b - a; }
                long Twice(long x) => 2 * x;
                public static void Main() { System.Console.WriteLine(new Solution().Add(1, 2)); }
            }
            ```
            """;
        var completion = Extract(reply);
        Assert.Contains("return Twice(a) + b - a;", completion.Body, StringComparison.Ordinal);
        Assert.Contains("static long Twice(long x) => 2 * x;", completion.Helpers, StringComparison.Ordinal);
        Assert.Contains("private static int _unused;", completion.Helpers, StringComparison.Ordinal);
        Assert.DoesNotContain("Main", completion.Helpers, StringComparison.Ordinal);
        Assert.Equal(["using System.Text.RegularExpressions;"], completion.Usings); // System.Linq is in the prompt already
    }

    [Fact]
    public void A_raw_continuation_stops_at_the_stop_token()
    {
        var completion = Extract("        return a + b;\n    }\n    public static void Main() {}\n}\n");
        Assert.False(completion.WasFullMethod);
        Assert.Equal("        return a + b;", completion.Body);
    }

    [Fact]
    public void A_body_is_cut_at_the_brace_that_closes_the_method_but_not_at_braces_in_strings()
    {
        var completion = Extract("```csharp\nvar s = \"}\";\nif (a > 0) { b++; }\nreturn a + b + s.Length;\n}\nstatic void Extra() {}\n```");
        Assert.Equal("var s = \"}\";\nif (a > 0) { b++; }\nreturn a + b + s.Length;", completion.Body);
    }

    [Fact]
    public void An_unterminated_fence_still_yields_its_code()
    {
        Assert.Contains("return a + b;", Extract("```csharp\npublic static long Add(long a, long b) {\n    return a + b;\n").Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Once upon a time there was a little dog named Tim. He liked to play")]
    [InlineData("```\n\n```")]
    public void Prose_or_nothing_is_no_candidate(string reply)
    {
        Assert.Null(CompletionExtractor.Extract(reply, "Add", Stop));
    }

    [Fact]
    public void The_composed_program_keeps_the_prompt_signature_and_closes_the_method_before_the_helpers()
    {
        var problem = new HumanEvalProblem("P_add", "using System;\nclass Problem {\n    public static long Add(long a, long b) {\n", "    }\n    public static void Main(string[] args) {\n    Debug.Assert(Add(1, 2) == 3);\n    }\n\n}\n", Stop);
        var completion = new ExtractedCompletion("        return Twice(a) + b - a;", "    static long Twice(long x) => 2 * x;\n", ["using System.Text;"], true);
        Assert.Equal(
            "using System.Text;\nusing System;\nclass Problem {\n    public static long Add(long a, long b) {\n        return Twice(a) + b - a;\n    }\n" +
            "    static long Twice(long x) => 2 * x;\n    public static void Main(string[] args) {\n    Debug.Assert(Add(1, 2) == 3);\n    }\n\n}\n\n",
            HumanEvalProgram.Compose(problem, completion));
        Assert.Equal("Add", problem.EntryPoint);
        Assert.Equal("public static long Add(long a, long b)", problem.Signature);
    }
}
