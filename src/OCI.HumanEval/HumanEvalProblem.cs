using System.Text.RegularExpressions;

namespace OCI.HumanEval;

/// <summary>
/// One MultiPL-E problem (HumanEval-C# or MBPP-C#): the prompt (usings, <c>class Problem {</c>, the task as comments,
/// the signature with its opening brace) and the tests that close the method and run <c>Debug.Assert</c> checks.
/// The program graded is prompt + completion + tests.
/// </summary>
/// <param name="Tests">The structural-comparison tests (<c>tests_deep_equals</c>): the stock ones compare lists by reference.</param>
/// <param name="StopTokens">MultiPL-E's stop tokens (<c>"\n    }\n"</c>): where a raw continuation ends the method.</param>
public sealed partial record HumanEvalProblem(string Name, string Prompt, string Tests, IReadOnlyList<string> StopTokens)
{
    /// <summary>The method the model writes, e.g. <c>HasCloseElements</c>.</summary>
    public string EntryPoint => SignatureMatch().Groups["name"].Value;

    /// <summary>The method's signature as the prompt declares it, without the opening brace.</summary>
    public string Signature => SignatureMatch().Value.Trim().TrimEnd('{').TrimEnd();

    private Match SignatureMatch()
    {
        var match = SignaturePattern().Match(Prompt);
        return match.Success
            ? match
            : throw new InvalidDataException($"Problem {Name}: its prompt does not end with a method signature and an opening brace.");
    }

    [GeneratedRegex(@"^[ \t]*(?:(?:public|private|internal|static)\s+)+[^\n(]*?(?<name>[A-Za-z_]\w*)\s*\([^\n]*\)\s*\{[ \t]*\r?\n?\s*\z", RegexOptions.Multiline)]
    private static partial Regex SignaturePattern();
}
