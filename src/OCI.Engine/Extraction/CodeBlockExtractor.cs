using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Engine.Extraction;

/// <summary>
/// Gets code out of a model reply. Small local models do not always follow the "one ```csharp block" format: they add
/// prose, several blocks (the answer, then a usage example), forget the fence, or return the whole class when one
/// member was asked for. Every function here tolerates that and picks the block that parses to the expected shape.
/// </summary>
public static partial class CodeBlockExtractor
{
    private const string WrapperName = "__OciWrapper";

    [GeneratedRegex(@"^[ \t]*(```|~~~)[ \t]*(?<lang>[^\s`]*)[^\n]*\n(?<code>.*?)(?:^[ \t]*\1[ \t]*$|\z)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"^\s*(using\s|namespace\s|public\s|private\s|protected\s|internal\s|static\s|sealed\s|abstract\s|async\s|override\s|virtual\s|partial\s|readonly\s|class\s|record\s|struct\s|interface\s|enum\s|\[|///|//|var\s|return\b|if\s*\(|for\s*\(|foreach\s*\(|while\s*\(|[A-Za-z_][A-Za-z0-9_<>,\[\]?\s]*\s+[A-Za-z_][A-Za-z0-9_]*\s*[({=;])")]
    private static partial Regex CodeLineRegex();

    /// <summary>
    /// The code blocks of a reply, in order. Without any fence, the reply itself from its first code-looking line
    /// (prose before it is dropped) is the one block.
    /// </summary>
    public static IReadOnlyList<CodeBlock> Blocks(string reply)
    {
        if (string.IsNullOrWhiteSpace(reply)) return [];
        var text = reply.Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = new List<CodeBlock>();
        foreach (Match match in FenceRegex().Matches(text))
        {
            var code = match.Groups["code"].Value.TrimEnd();
            if (code.Trim().Length > 0) blocks.Add(new CodeBlock(match.Groups["lang"].Value.Trim(), code, true));
        }
        if (blocks.Count > 0) return blocks;

        var lines = text.Split('\n');
        var first = Array.FindIndex(lines, line => CodeLineRegex().IsMatch(line));
        if (first < 0) return [];
        var unfenced = string.Join('\n', lines[first..]).Trim();
        // Prose has no statement terminators or braces; code does.
        return unfenced.Contains(';') || unfenced.Contains('{') || unfenced.Contains("=>", StringComparison.Ordinal)
            ? [new CodeBlock("", unfenced, false)]
            : [];
    }

    /// <summary>
    /// The declaration named <paramref name="name"/> (method, property, constructor, type, …) from the reply, as
    /// source text. Finds it in a bare member, a whole class or a whole file; among several, prefers one without
    /// syntax errors, a C#-tagged block, and the given parameter count (overloads).
    /// </summary>
    public static string? ExtractMember(string reply, string name, int? parameterCount = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var found = new List<(MemberDeclarationSyntax Member, CodeBlock Block, int Order)>();
        var order = 0;
        foreach (var block in Blocks(reply))
        {
            foreach (var root in ParseShapes(block.Code))
            {
                foreach (var member in root.DescendantNodes().OfType<MemberDeclarationSyntax>())
                {
                    if (NameOf(member) == name) found.Add((member, block, order++));
                }
            }
        }
        if (found.Count == 0) return null;

        var best = found
            .OrderBy(f => f.Member.ContainsDiagnostics ? 1 : 0)
            .ThenBy(f => parameterCount is null || ParameterCount(f.Member) == parameterCount ? 0 : 1)
            .ThenBy(f => f.Block.IsCSharp ? 0 : 1)
            // A member with a body beats a bare declaration (an interface-like echo of the signature).
            .ThenBy(f => HasBody(f.Member) ? 0 : 1)
            .ThenBy(f => f.Order)
            .First();
        return best.Member.WithoutLeadingTrivia().WithoutTrailingTrivia().ToFullString();
    }

    /// <summary>
    /// The block that scores best by <paramref name="errors"/> (syntax errors after the caller applied it), preferring
    /// C#-tagged blocks and then the earlier one. Null when the reply holds no code.
    /// </summary>
    public static string? ExtractBest(string reply, Func<string, int> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var blocks = Blocks(reply);
        if (blocks.Count == 0) return null;
        return blocks
            .Select((block, index) => (block, index, errors: errors(block.Code)))
            .OrderBy(b => b.errors)
            .ThenBy(b => b.block.IsCSharp ? 0 : 1)
            .ThenBy(b => b.index)
            .First().block.Code;
    }

    /// <summary>A whole C# file from the reply: the block that parses as a compilation unit declaring a type, fewest errors first.</summary>
    public static string? ExtractFile(string reply)
    {
        var files = Blocks(reply)
            .Select((block, index) => (block, index, tree: CSharpSyntaxTree.ParseText(block.Code)))
            .Select(b => (b.block, b.index, root: (CompilationUnitSyntax)b.tree.GetRoot()))
            .Where(b => b.root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Any())
            .OrderBy(b => b.root.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error))
            .ThenBy(b => b.block.IsCSharp ? 0 : 1)
            .ThenByDescending(b => b.block.Code.Length)
            .ToList();
        return files.Count == 0 ? null : files[0].block.Code.Trim() + "\n";
    }

    /// <summary>The using directives of a code block that parses as a file (so a member reply can bring the namespaces it needs).</summary>
    public static IReadOnlyList<string> UsingDirectives(string reply) =>
        Blocks(reply)
            .SelectMany(b => ((CompilationUnitSyntax)CSharpSyntaxTree.ParseText(b.Code).GetRoot()).Usings)
            .Where(u => !u.ContainsDiagnostics && u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.GlobalKeyword.IsKind(SyntaxKind.None))
            .Select(u => u.Name!.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>The name a declaration is known by (a constructor by its type's name).</summary>
    public static string? NameOf(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.ValueText,
        PropertyDeclarationSyntax p => p.Identifier.ValueText,
        ConstructorDeclarationSyntax c => c.Identifier.ValueText,
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        EventDeclarationSyntax e => e.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.ValueText,
        ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
        DestructorDeclarationSyntax d => "~" + d.Identifier.ValueText,
        BaseFieldDeclarationSyntax f when f.Declaration.Variables.Count == 1 => f.Declaration.Variables[0].Identifier.ValueText,
        _ => null,
    };

    internal static int? ParameterCount(MemberDeclarationSyntax member) => member switch
    {
        BaseMethodDeclarationSyntax m => m.ParameterList.Parameters.Count,
        IndexerDeclarationSyntax i => i.ParameterList.Parameters.Count,
        _ => null,
    };

    private static bool HasBody(MemberDeclarationSyntax member) => member switch
    {
        BaseMethodDeclarationSyntax m => m.Body is not null || m.ExpressionBody is not null,
        BasePropertyDeclarationSyntax p => p.AccessorList?.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null) == true
            || (p as PropertyDeclarationSyntax)?.ExpressionBody is not null,
        _ => true,
    };

    /// <summary>The same code parsed as a file and as the members of a class (a bare method is not valid at file level).</summary>
    private static IEnumerable<SyntaxNode> ParseShapes(string code)
    {
        yield return CSharpSyntaxTree.ParseText(code).GetRoot();
        var wrapped = CSharpSyntaxTree.ParseText($"class {WrapperName}\n{{\n{code}\n}}\n").GetRoot();
        yield return wrapped;
        // "using X;" then a bare member (a common reply shape): usings cannot sit inside the wrapper class (they are
        // taken from the reply separately), so the member is parsed without them.
        var withoutUsings = LeadingUsings.Replace(code, "");
        if (withoutUsings.Length != code.Length)
        {
            yield return CSharpSyntaxTree.ParseText($"class {WrapperName}\n{{\n{withoutUsings}\n}}\n").GetRoot();
        }
    }

    private static readonly System.Text.RegularExpressions.Regex LeadingUsings =
        new(@"\A(\s*using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>, ]+)?\s*;)+", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
