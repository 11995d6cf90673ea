using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Editing;
using OCI.Engine.Extraction;
using OCI.Engine.Prompts;

namespace OCI.Engine.Tasks;

/// <summary>
/// Applies a reply that holds a new version of one declaration (member or type): the declaration with the target's
/// name is taken from the reply (bare, inside a class, inside a file), or, for a method, a reply that holds only
/// statements becomes its new body. Using directives the reply brings are added to the file.
/// </summary>
public sealed class MemberRewrite
{
    private readonly SourceText _text;
    private readonly MemberDeclarationSyntax _target;
    private readonly bool _removeTodoComments;

    public MemberRewrite(SourceText text, MemberDeclarationSyntax target, bool removeTodoComments)
    {
        _text = text;
        _target = target;
        _removeTodoComments = removeTodoComments;
        Name = CodeBlockExtractor.NameOf(target) ?? throw new ArgumentException("The target declaration has no name.", nameof(target));
    }

    public string Name { get; }

    public string? Apply(string reply)
    {
        var code = CodeBlockExtractor.ExtractMember(reply, Name, CodeBlockExtractor.ParameterCount(_target))
            ?? (_target is BaseMethodDeclarationSyntax method ? AsBody(reply, method) : null);
        if (code is null) return null;
        return CodeSplicer.ReplaceMember(_text, _target, code, CodeBlockExtractor.UsingDirectives(reply), _removeTodoComments);
    }

    /// <summary>A reply of bare statements ("return a + b;") wrapped in the target's own signature.</summary>
    private string? AsBody(string reply, BaseMethodDeclarationSyntax method)
    {
        static int Errors(string statements) =>
            CSharpSyntaxTree.ParseText($"class C {{ void M() {{\n{statements}\n}} }}").GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        var body = CodeBlockExtractor.ExtractBest(reply, Errors);
        if (body is null || Errors(body) > 0) return null;
        var bodyStart = (SyntaxNode?)method.Body ?? method.ExpressionBody;
        if (bodyStart is null) return null;
        var header = CodeContextBuilder.Dedent(_text.ToString(TextSpan.FromBounds(method.Span.Start, bodyStart.SpanStart)).TrimEnd());
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return header + "\n{\n" + string.Join('\n', CodeSplicer.Reindent(string.Join('\n', lines), "    ", indentFirstLine: true)) + "\n}";
    }
}
