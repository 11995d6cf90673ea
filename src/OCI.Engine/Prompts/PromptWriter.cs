using System.Text;

namespace OCI.Engine.Prompts;

/// <summary>Writes the sections every task prompt shares, in the same order and with the same headings.</summary>
public static class PromptWriter
{
    /// <param name="executionResult">
    /// What running the code showed before the model is asked (an "Execution result:" block, as the later feedback
    /// turns render it, or what Roslyn's fixes left); it comes after the code, the tests and the diagnostics.
    /// </param>
    public static string Compose(string task, CodeContext context, string targetHeading, string replyInstruction, bool showTarget = true, string? executionResult = null)
    {
        var prompt = new StringBuilder();
        prompt.Append(task.Trim()).Append("\n\n");
        prompt.Append("File: ").Append(Path.GetFileName(context.FilePath)).Append("\n\n");
        if (context.EnclosingTypeText is not null)
        {
            Section(prompt, "The enclosing type:", context.EnclosingTypeText);
        }
        if (showTarget)
        {
            Section(prompt, targetHeading, context.TargetText);
        }
        if (context.UsedSignatures.Count > 0)
        {
            Section(prompt, "Signatures of the code it uses:", string.Join("\n", context.UsedSignatures));
        }
        if (context.Tests.Count > 0)
        {
            Section(prompt, "Tests that exercise it:", string.Join("\n\n", context.Tests.Select(t => t.Source)));
        }
        if (context.Diagnostics.Count > 0)
        {
            prompt.Append("Compiler diagnostics:\n").Append(string.Join("\n", context.Diagnostics)).Append("\n\n");
        }
        if (!string.IsNullOrWhiteSpace(executionResult))
        {
            prompt.Append(executionResult.TrimEnd()).Append("\n\n");
        }
        prompt.Append(replyInstruction);
        return prompt.ToString();
    }

    /// <summary>The feedback turn: the verification result (always starting with "Execution result:"), then what to reply.</summary>
    public static string Feedback(string renderedResult, string replyInstruction)
    {
        const string Prefix = "Execution result:";
        var result = renderedResult.TrimEnd();
        if (!result.StartsWith(Prefix, StringComparison.Ordinal)) result = Prefix + "\n" + result;
        return result + "\n\nFix the code so that it compiles and the tests pass. " + replyInstruction;
    }

    private static void Section(StringBuilder prompt, string heading, string code) =>
        prompt.Append(heading).Append("\n```csharp\n").Append(code.TrimEnd()).Append("\n```\n\n");
}
