using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Compilation;

/// <summary>
/// Whether two texts of one C# file declare the same things: equal but for method bodies and ordinary initializers,
/// which only the file's own project compiles (<see cref="SyntaxTree.IsEquivalentTo"/> with <c>topLevel</c>). Values
/// the compiler copies into the code of other projects are compared as well, whatever Roslyn's rule for them: const
/// fields, enum members and parameter defaults are inlined at every use, so changing one changes what dependants
/// compile to. The order of using directives does not count.
/// </summary>
public static class TopLevelEquivalence
{
    public static bool AreEquivalent(SyntaxTree before, SyntaxTree after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var beforeRoot = before.GetRoot(cancellationToken);
        var afterRoot = after.GetRoot(cancellationToken);
        if (!after.IsEquivalentTo(before, topLevel: true)
            && !SyntaxFactory.AreEquivalent(UsingsSorted(beforeRoot), UsingsSorted(afterRoot), topLevel: true))
        {
            return false;
        }
        return InlinedValues(beforeRoot).SequenceEqual(InlinedValues(afterRoot), StringComparer.Ordinal);
    }

    /// <summary>
    /// The file with each list of using directives in one order: their order means nothing to the compiler, and a fix
    /// that adds a using puts it where it sorts, not where the user had it.
    /// </summary>
    private static SyntaxNode UsingsSorted(SyntaxNode root) => new UsingSorter().Visit(root);

    private sealed class UsingSorter : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitCompilationUnit(CompilationUnitSyntax node) =>
            base.VisitCompilationUnit(node) is CompilationUnitSyntax unit ? unit.WithUsings(Sorted(unit.Usings)) : null;

        public override SyntaxNode? VisitNamespaceDeclaration(NamespaceDeclarationSyntax node) =>
            base.VisitNamespaceDeclaration(node) is NamespaceDeclarationSyntax ns ? ns.WithUsings(Sorted(ns.Usings)) : null;

        public override SyntaxNode? VisitFileScopedNamespaceDeclaration(FileScopedNamespaceDeclarationSyntax node) =>
            base.VisitFileScopedNamespaceDeclaration(node) is FileScopedNamespaceDeclarationSyntax ns ? ns.WithUsings(Sorted(ns.Usings)) : null;

        // Bodies are not compared at the top level: no need to walk them.
        public override SyntaxNode? VisitBlock(BlockSyntax node) => node;

        private static SyntaxList<UsingDirectiveSyntax> Sorted(SyntaxList<UsingDirectiveSyntax> usings) =>
            SyntaxFactory.List(usings.OrderBy(u => u.WithoutTrivia().NormalizeWhitespace().ToFullString(), StringComparer.Ordinal));
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
