using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.HumanEval;

/// <summary>What a reply contributes to the program: the method body, helper members beside it, extra usings.</summary>
/// <param name="Body">The statements of the method body (without its braces).</param>
/// <param name="Helpers">Members the model wrote beside the method (helper methods, fields, nested types), made static.</param>
/// <param name="Usings">Using directives of the reply that the prompt lacks.</param>
/// <param name="WasFullMethod">True when the reply held the whole method; false when it held only a body.</param>
public sealed record ExtractedCompletion(string Body, string Helpers, IReadOnlyList<string> Usings, bool WasFullMethod);

/// <summary>
/// Turns a chat reply into a completion, tolerantly: prose around it, one or more ``` fences or none, the full method,
/// a whole class (the method and its helpers are taken, a Main of the model's own is dropped), an expression-bodied
/// method, or just the body as a raw continuation of the prompt (cut at MultiPL-E's stop token and at the brace that
/// would close the method). The prompt's own signature is always kept, so the tests see the declared types.
/// </summary>
public static partial class CompletionExtractor
{
    private static readonly CSharpParseOptions ScriptOptions = CSharpParseOptions.Default
        .WithKind(SourceCodeKind.Script)
        .WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>Null when the reply holds no usable code.</summary>
    public static ExtractedCompletion? Extract(string reply, string entryPoint, IReadOnlyList<string> stopTokens, string? prompt = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var code = PickCode(reply, entryPoint);
        if (string.IsNullOrWhiteSpace(code)) return null;

        var root = CSharpSyntaxTree.ParseText(code, ScriptOptions).GetCompilationUnitRoot();
        var usings = root.DescendantNodes().OfType<UsingDirectiveSyntax>()
            .Select(u => u.ToString().Trim())
            .Where(u => prompt is null || !prompt.Contains(u, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Identifier.ValueText == entryPoint && (m.Body is not null || m.ExpressionBody is not null));
        if (method is not null)
        {
            return new ExtractedCompletion(BodyOf(method, code), HelpersBeside(method), usings, WasFullMethod: true);
        }
        var localFunction = root.DescendantNodes().OfType<LocalFunctionStatementSyntax>()
            .FirstOrDefault(f => f.Identifier.ValueText == entryPoint && (f.Body is not null || f.ExpressionBody is not null));
        if (localFunction is not null)
        {
            var body = localFunction.Body is { } block
                ? InsideBraces(block, code)
                : ReturnOf(localFunction.ExpressionBody!.Expression, localFunction.ReturnType);
            return new ExtractedCompletion(body, "", usings, WasFullMethod: true);
        }

        var rawBody = RawBody(code, stopTokens);
        if (!rawBody.Contains(';', StringComparison.Ordinal)) return null; // prose, not code
        return new ExtractedCompletion(rawBody, "", usings, WasFullMethod: false);
    }

    /// <summary>The fenced block that mentions the method (else the first C# one, else the first), or the whole reply.</summary>
    internal static string PickCode(string reply, string entryPoint)
    {
        var blocks = FencePattern().Matches(reply)
            .Select(m => (Language: m.Groups["lang"].Value.ToLowerInvariant(), Code: m.Groups["code"].Value))
            .Where(b => !string.IsNullOrWhiteSpace(b.Code))
            .ToList();
        if (blocks.Count == 0) return reply;
        var call = entryPoint + "(";
        return blocks.FirstOrDefault(b => b.Code.Contains(call, StringComparison.Ordinal) && b.Code.Contains('{', StringComparison.Ordinal)).Code
            ?? blocks.FirstOrDefault(b => b.Language is "csharp" or "cs" or "c#").Code
            ?? blocks[0].Code;
    }

    private static string BodyOf(MethodDeclarationSyntax method, string code) => method.Body is { } block
        ? InsideBraces(block, code)
        : ReturnOf(method.ExpressionBody!.Expression, method.ReturnType);

    private static string InsideBraces(BlockSyntax block, string code)
    {
        var start = block.OpenBraceToken.Span.End;
        var end = block.CloseBraceToken.IsMissing ? block.Span.End : block.CloseBraceToken.SpanStart;
        return code[start..Math.Max(start, end)].Trim('\r', '\n').TrimEnd();
    }

    private static string ReturnOf(ExpressionSyntax expression, TypeSyntax returnType) =>
        returnType is PredefinedTypeSyntax { Keyword.ValueText: "void" }
            ? $"        {expression};"
            : $"        return {expression};";

    /// <summary>Sibling members of the method (helpers), without a Main or loose statements, each made static.</summary>
    private static string HelpersBeside(MethodDeclarationSyntax method)
    {
        var siblings = method.Parent switch
        {
            TypeDeclarationSyntax type => type.Members,
            CompilationUnitSyntax unit => unit.Members,
            _ => default(SyntaxList<MemberDeclarationSyntax>),
        };
        var helpers = new StringBuilder();
        foreach (var member in siblings)
        {
            if (member == method || member is GlobalStatementSyntax or BaseNamespaceDeclarationSyntax) continue;
            if (member is MethodDeclarationSyntax { Identifier.ValueText: "Main" }) continue;
            if (member is MethodDeclarationSyntax other && other.Identifier.ValueText == method.Identifier.ValueText
                && other.ParameterList.Parameters.Count == method.ParameterList.Parameters.Count) continue;
            if (member is ConstructorDeclarationSyntax or DestructorDeclarationSyntax) continue;
            var text = MakeStatic(member).ToFullString().Trim('\r', '\n');
            helpers.Append("    ").Append(text.TrimStart()).Append('\n');
        }
        return helpers.ToString();
    }

    /// <summary>The prompt's method is static; helpers of an instance-style answer must be too, or calls to them fail.</summary>
    private static MemberDeclarationSyntax MakeStatic(MemberDeclarationSyntax member)
    {
        if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax) return member;
        if (member.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.ConstKeyword))) return member;
        var indentation = member.GetLeadingTrivia();
        return member.WithoutLeadingTrivia()
            .AddModifiers(SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(indentation);
    }

    /// <summary>A raw continuation: cut at the first stop token, then at a closing brace that would close the method.</summary>
    internal static string RawBody(string code, IReadOnlyList<string> stopTokens)
    {
        var text = code.Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var stop in stopTokens)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0) text = text[..at];
        }
        var depth = 0;
        foreach (var token in SyntaxFactory.ParseTokens(text))
        {
            if (token.IsKind(SyntaxKind.OpenBraceToken)) depth++;
            else if (token.IsKind(SyntaxKind.CloseBraceToken) && --depth < 0)
            {
                text = text[..token.SpanStart];
                break;
            }
        }
        return text.Trim('\n').TrimEnd();
    }

    [GeneratedRegex(@"```[ \t]*(?<lang>[\w#+-]*)[^\n]*\n(?<code>.*?)(?:```|\z)", RegexOptions.Singleline)]
    private static partial Regex FencePattern();
}
