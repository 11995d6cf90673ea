using System.Text;

namespace OCI.Workspace.Verification;

/// <summary>
/// PLACEHOLDER (engine branch): a tiny renderer so the engine compiles and its tests run; the workspace-verification
/// work replaces this file with the real renderer at merge, keeping this signature.
/// </summary>
public static class FeedbackRenderer
{
    public static string Render(VerificationResult result, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder("Execution result: ").Append(result.Status).Append('\n');
        foreach (var d in result.Diagnostics.Where(d => d.IsNew && d.Severity == DiagnosticSeverityLevel.Error))
        {
            text.Append($"{Path.GetFileName(d.Path)}({d.Line},{d.Column}): error {d.Id}: {d.Message}\n");
            if (d.SourceLine is not null) text.Append("    ").Append(d.SourceLine.Trim()).Append('\n');
        }
        foreach (var t in result.Tests.Where(t => t.Outcome == TestOutcome.Failed))
        {
            text.Append($"FAILED {t.Name}: {t.Message}\n");
        }
        if (result.Message is not null) text.Append(result.Message).Append('\n');
        return text.Length <= maxChars ? text.ToString() : text.ToString(0, Math.Max(0, maxChars));
    }
}
