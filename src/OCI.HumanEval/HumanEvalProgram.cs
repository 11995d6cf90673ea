using System.Text;

namespace OCI.HumanEval;

/// <summary>
/// Composes the graded program: the reply's extra usings, the prompt (its signature kept as declared), the body, the
/// method's closing brace, the reply's helper members, then the problem's tests (which close the class).
/// </summary>
public static class HumanEvalProgram
{
    /// <summary>Where candidate programs claim to live; never written there (the verifier compiles in memory).</summary>
    public const string VirtualDirectory = "/oci-bench/";

    public static string VirtualPath(HumanEvalProblem problem) => VirtualDirectory + problem.Name + ".cs";

    public static string Compose(HumanEvalProblem problem, ExtractedCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(completion);
        var program = new StringBuilder();
        foreach (var directive in completion.Usings) program.Append(directive).Append('\n');
        program.Append(problem.Prompt);
        if (!problem.Prompt.EndsWith('\n')) program.Append('\n');
        program.Append(completion.Body.TrimEnd()).Append('\n');
        var tests = problem.Tests;
        var closing = tests.IndexOf('}', StringComparison.Ordinal);
        if (completion.Helpers.Length > 0 && closing >= 0 && string.IsNullOrWhiteSpace(tests[..closing]))
        {
            // The tests open with the method's closing brace: close it here, add the helpers, then the rest.
            program.Append(tests[..(closing + 1)]).Append('\n');
            program.Append(completion.Helpers);
            program.Append(tests[(closing + 1)..].TrimStart('\r', '\n')).Append('\n');
        }
        else
        {
            program.Append(tests);
        }
        return program.ToString();
    }
}
