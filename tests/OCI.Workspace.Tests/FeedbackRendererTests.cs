using OCI.Workspace.Compilation;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

public sealed class FeedbackRendererTests
{
    private static readonly VerificationResult CompileErrors = new(
        VerificationStatus.CompileErrors,
        [
            new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "The name 'c' does not exist in the current context", "/ws/Calc/Calculator.cs", 7, 20, "        return a + c;"),
            new CompilerDiagnostic("CS0246", DiagnosticSeverityLevel.Error, "The type 'Foo' could not be found", "/ws/Calc/Other.cs", 3, 5, "    Foo x;", IsNew: false),
            new CompilerDiagnostic("CS0168", DiagnosticSeverityLevel.Warning, "The variable 'y' is declared but never used", "/ws/Calc/Calculator.cs", 6, 13, "        int y;"),
        ],
        []);

    [Fact]
    public void Compile_errors_come_first_with_the_line_quoted_and_old_errors_only_counted()
    {
        var text = FeedbackRenderer.Render(CompileErrors, 4000, "/ws");
        Assert.Equal(
            """
            Execution result: compile errors: 1 new error
            error CS0103 at Calc/Calculator.cs(7,20): The name 'c' does not exist in the current context
              7 |         return a + c;
                |                    ^
            warning CS0168 at Calc/Calculator.cs(6,13): The variable 'y' is declared but never used
              6 |         int y;
                |             ^
            1 error(s) existed before this change (not caused by it, not shown)
            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
        Assert.Equal(text, FeedbackRenderer.Render(CompileErrors, 4000, "/ws"));
    }

    [Fact]
    public void Failing_tests_show_message_location_and_output()
    {
        var result = new VerificationResult(
            VerificationStatus.TestsFailed,
            [],
            [
                new TestCaseResult("T.B_passes", TestOutcome.Passed),
                new TestCaseResult("T.A_fails", TestOutcome.Failed, "Assert.Equal() Failure\nExpected: 5\nActual:   -1", "at T.A_fails() in /ws/T.cs:line 12", "/ws/T.cs", 12, "adding 2 and 3"),
            ]);
        Assert.Equal(
            """
            Execution result: tests failed: 1 passed, 1 failed
            FAILED T.A_fails
              Assert.Equal() Failure
              Expected: 5
              Actual:   -1
              at T.cs:12
              output:
                adding 2 and 3
            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            FeedbackRenderer.Render(result, 4000, "/ws"));
    }

    [Fact]
    public void Long_feedback_keeps_head_and_tail_within_the_limit()
    {
        var output = "START\n" + string.Concat(Enumerable.Repeat("spam spam spam\n", 2000)) + "END OF OUTPUT";
        var result = new VerificationResult(VerificationStatus.Crashed, [], [], "the test host crashed (exit code 134)", output);
        var text = FeedbackRenderer.Render(result, 1000);
        Assert.True(text.Length <= 1000, $"{text.Length} characters");
        Assert.StartsWith("Execution result: the test run ended abnormally\nthe test host crashed (exit code 134)\noutput:\n  START", text, StringComparison.Ordinal);
        Assert.EndsWith("END OF OUTPUT", text, StringComparison.Ordinal);
        Assert.Contains("characters elided", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Success_is_one_line()
    {
        var result = new VerificationResult(VerificationStatus.Passed, [], [new TestCaseResult("T.A", TestOutcome.Passed)]);
        Assert.Equal("Execution result: success: it compiles and all tests pass (1 passed, 0 failed)", FeedbackRenderer.Render(result, 500));
    }
}

public sealed class DiagnosticBaselineTests
{
    private static CompilerDiagnostic Error(int line, string source, string message = "The name 'c' does not exist in the current context") =>
        new("CS0103", DiagnosticSeverityLevel.Error, message, "/ws/A.cs", line, 9, source);

    [Fact]
    public void A_moved_error_is_not_new_and_a_duplicate_is()
    {
        var oldText = "a\nb\n  return c;\nd";
        var newText = "a\nnew line\nb\n  return c;\nd\n  return c;";
        var map = LineMap.Create(oldText, newText);
        var result = DiagnosticBaseline.MarkNew([Error(3, "  return c;")], [Error(4, "  return c;"), Error(6, "  return c;")], _ => map);
        Assert.False(result[0].IsNew);
        Assert.True(result[1].IsNew);
    }

    [Fact]
    public void Same_position_but_different_message_is_new()
    {
        var result = DiagnosticBaseline.MarkNew([Error(3, "x")], [Error(3, "x", "The name 'd' does not exist in the current context")], _ => LineMap.Identity);
        Assert.True(Assert.Single(result).IsNew);
    }

    [Fact]
    public void Line_map_maps_head_and_tail_and_not_the_edited_middle()
    {
        var map = LineMap.Create("1\n2\n3\n4", "1\nX\nY\n3\n4");
        Assert.Equal(0, map.ToOldLine(0));
        Assert.Null(map.ToOldLine(1));
        Assert.Equal(2, map.ToOldLine(3));
        Assert.Equal(3, map.ToOldLine(4));
    }
}
