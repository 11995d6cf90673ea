using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Compilation;

/// <summary>
/// Whether two texts of one C# file declare the same things: equal but for method bodies and ordinary initializers,
/// which only the file's own project compiles (<see cref="SyntaxTree.IsEquivalentTo"/> with <c>topLevel</c>). Values
/// the compiler copies into the code of other projects are compared as well, whatever Roslyn's rule for them: const
/// fields, enum members and parameter defaults are inlined at every use, so changing one changes what dependants
/// compile to.
/// </summary>
public static class TopLevelEquivalence
{
    public static bool AreEquivalent(SyntaxTree before, SyntaxTree after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!after.IsEquivalentTo(before, topLevel: true)) return false;
        return InlinedValues(before.GetRoot(cancellationToken)).SequenceEqual(InlinedValues(after.GetRoot(cancellationToken)), StringComparer.Ordinal);
    }

    /// <summary>The text of every value a dependant inlines, in declaration order.</summary>
    private static IEnumerable<string> InlinedValues(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax)))
        {
            switch (node)
            {
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    foreach (var variable in field.Declaration.Variables) yield return variable.Identifier.Text + "=" + Normalized(variable.Initializer);
                    break;
                case EnumMemberDeclarationSyntax member:
                    yield return member.Identifier.Text + "=" + Normalized(member.EqualsValue);
                    break;
                case ParameterSyntax { Default: { } value } parameter:
                    yield return parameter.Identifier.Text + "=" + Normalized(value);
                    break;
            }
        }
    }

    private static string Normalized(SyntaxNode? node) => node is null ? "" : node.WithoutTrivia().NormalizeWhitespace().ToFullString();
}
