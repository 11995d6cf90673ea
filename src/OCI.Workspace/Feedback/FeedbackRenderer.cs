using System.Globalization;
using System.Text;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Feedback;

/// <summary>
/// Turns a <see cref="VerificationResult"/> into the compact text a model reads after each candidate, in the manner of
/// OpenCodeInterpreter's "Execution result:" turns and aider's test-output turns: a one-line verdict, then the most
/// relevant facts first (new errors with the offending line quoted, failing tests with message and the assertion's
/// location, timeouts and crashes), then context; long parts keep their head and tail. Deterministic: the same result
/// always renders to the same text (sorted, invariant culture, no times), so prompts are reproducible and testable.
/// </summary>
public static class FeedbackRenderer
{
    private const int MaxDiagnostics = 12;
    private const int MaxFailedTests = 8;
    private const int MaxMessageCharacters = 600;
    private const int MaxTestOutputCharacters = 400;

    public static string Render(VerificationResult result, int maxChars) => Render(result, maxChars, workspaceRoot: null);

    /// <summary>Renders with paths shown relative to <paramref name="workspaceRoot"/> (shorter, and the same on every machine).</summary>
    public static string Render(VerificationResult result, int maxChars, string? workspaceRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append("Execution result: ").Append(Verdict(result)).Append('\n');

        var newErrors = result.Diagnostics.Where(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error).ToList();
        var newWarnings = result.Diagnostics.Where(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Warning).ToList();
        var oldErrors = result.Diagnostics.Count(d => !d.IsNew && d.Severity == DiagnosticSeverityLevel.Error);

        if (!string.IsNullOrWhiteSpace(result.Message) && result.Status is VerificationStatus.TimedOut or VerificationStatus.Crashed or VerificationStatus.BuildSystemError)
        {
            text.Append(Truncation.HeadAndTail(result.Message.Trim(), MaxMessageCharacters)).Append('\n');
        }

        AppendDiagnostics(text, newErrors, "error", workspaceRoot);

        var failed = result.Tests.Where(t => t.Outcome == TestOutcome.Failed).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        foreach (var test in failed.Take(MaxFailedTests))
        {
            text.Append("FAILED ").Append(test.Name).Append('\n');
            if (!string.IsNullOrWhiteSpace(test.Message)) AppendIndented(text, Truncation.HeadAndTail(test.Message.Trim(), MaxMessageCharacters));
            if (test.Path is not null && test.Line is not null)
            {
                text.Append("  at ").Append(DisplayPath(test.Path, workspaceRoot)).Append(':').Append(test.Line.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            else if (!string.IsNullOrWhiteSpace(test.StackTrace))
            {
                foreach (var frame in test.StackTrace.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(3))
                {
                    text.Append("  ").Append(frame).Append('\n');
                }
            }
            if (!string.IsNullOrWhiteSpace(test.Output))
            {
                text.Append("  output:\n");
                AppendIndented(text, Truncation.HeadAndTail(test.Output.Trim(), MaxTestOutputCharacters), "    ");
            }
        }
        if (failed.Count > MaxFailedTests) text.Append("… and ").Append(failed.Count - MaxFailedTests).Append(" more failing test(s)\n");

        AppendDiagnostics(text, newWarnings, "warning", workspaceRoot);
        if (oldErrors > 0) text.Append(oldErrors).Append(" error(s) existed before this change (not caused by it, not shown)\n");

        if (!string.IsNullOrWhiteSpace(result.Message) && result.Status is not (VerificationStatus.TimedOut or VerificationStatus.Crashed or VerificationStatus.BuildSystemError))
        {
            text.Append("note: ").Append(Truncation.HeadAndTail(result.Message.Trim(), MaxMessageCharacters)).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(result.Output) && (result.Status is VerificationStatus.TimedOut or VerificationStatus.Crashed or VerificationStatus.BuildSystemError
            || (result.Status == VerificationStatus.CompileErrors && newErrors.Count == 0)))
        {
            text.Append("output:\n");
            AppendIndented(text, result.Output.Trim());
        }

        return Truncation.HeadAndTail(text.ToString().TrimEnd('\n'), Math.Max(80, maxChars));
    }

    private static string Verdict(VerificationResult result)
    {
        var tests = TestSummary(result);
        return result.Status switch
        {
            VerificationStatus.Passed => result.Tests.Count == 0 ? "success: it compiles with no new errors" : $"success: it compiles and all tests pass ({tests})",
            VerificationStatus.CompileErrors => $"compile errors: {Count(result.NewErrorCount, "new error")}",
            VerificationStatus.BuildSystemError => "the build failed (not a compiler error)",
            VerificationStatus.TestsFailed => $"tests failed: {tests}",
            VerificationStatus.TimedOut => result.Tests.Count > 0 ? $"timed out ({tests} before it was stopped)" : "timed out",
            VerificationStatus.Crashed => result.Tests.Count > 0 ? $"the test run ended abnormally ({tests})" : "the test run ended abnormally",
            _ => result.Status.ToString(),
        };
    }

    private static string TestSummary(VerificationResult result)
    {
        var summary = $"{result.PassedTests} passed, {result.FailedTests} failed";
        var skipped = result.Tests.Count(t => t.Outcome == TestOutcome.Skipped);
        return skipped > 0 ? $"{summary}, {skipped} skipped" : summary;
    }

    private static void AppendDiagnostics(StringBuilder text, List<CompilerDiagnostic> diagnostics, string kind, string? root)
    {
        foreach (var diagnostic in diagnostics
            .OrderBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Take(MaxDiagnostics))
        {
            text.Append(kind).Append(' ').Append(diagnostic.Id);
            if (diagnostic.Path is not null)
            {
                text.Append(" at ").Append(DisplayPath(diagnostic.Path, root));
                if (diagnostic.Line > 0) text.Append('(').Append(diagnostic.Line.ToString(CultureInfo.InvariantCulture)).Append(',').Append(diagnostic.Column.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
            text.Append(": ").Append(Truncation.HeadAndTail(diagnostic.Message, MaxMessageCharacters)).Append('\n');
            if (!string.IsNullOrWhiteSpace(diagnostic.SourceLine))
            {
                var gutter = diagnostic.Line.ToString(CultureInfo.InvariantCulture);
                text.Append("  ").Append(gutter).Append(" | ").Append(diagnostic.SourceLine.TrimEnd()).Append('\n');
                if (diagnostic.Column > 0)
                {
                    text.Append("  ").Append(' ', gutter.Length).Append(" | ").Append(' ', Math.Min(diagnostic.Column - 1, diagnostic.SourceLine.Length)).Append("^\n");
                }
            }
        }
        if (diagnostics.Count > MaxDiagnostics) text.Append("… and ").Append(diagnostics.Count - MaxDiagnostics).Append(" more ").Append(kind).Append("(s)\n");
    }

    private static void AppendIndented(StringBuilder text, string block, string indent = "  ")
    {
        foreach (var line in block.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            text.Append(indent).Append(line.TrimEnd()).Append('\n');
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string DisplayPath(string path, string? root)
    {
        if (root is null || !Path.IsPathRooted(path)) return path;
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }
}
