using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Testing;

/// <summary>
/// Where code can refer to a member by its name, when that is not anywhere: a private member only inside the
/// declarations of its type (<see cref="Type"/>, nested types included); a static member of a type nothing derives from
/// (a static or sealed class, a struct, an enum) also after its type's name or an alias of it (<c>Span.Length(2)</c>),
/// and anywhere in a document that imports its type with <c>using static</c>. A walk before the caller index
/// (<see cref="NamingDocumentCallers"/>) binds a confined name only in the documents that write it in one of those places:
/// a static helper's name is often a common word (<c>Length</c>, <c>Parse</c>) that many documents write for other members.
/// </summary>
/// <remarks>
/// What is not confined: instance members that are not private (any expression of the type reaches them), static members
/// of a type that may be derived from (a derived type's code calls them unqualified, and its other partial parts name no
/// base), extension methods and members of extension blocks (called after the extended value), explicit interface
/// implementations (called through the interface), constructors, operators and indexers.
/// </remarks>
/// <param name="Type">The name of the member's type, as its declarations write it (no arity).</param>
/// <param name="QualifiedByType">Whether the member may also be written after its type's name (a static member), not only inside the type.</param>
internal sealed record Confinement(string Type, bool QualifiedByType)
{
    /// <summary>The confinement of <paramref name="symbol"/>; null when code anywhere may refer to it by its name.</summary>
    public static Confinement? Of(ISymbol symbol)
    {
        if (symbol.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Enum } type) return null;
        var ordinary = symbol switch
        {
            IMethodSymbol method => method is { MethodKind: MethodKind.Ordinary, IsExtensionMethod: false, ExplicitInterfaceImplementations.Length: 0 },
            IPropertySymbol property => property is { IsIndexer: false, ExplicitInterfaceImplementations.Length: 0 },
            IEventSymbol @event => @event.ExplicitInterfaceImplementations.Length == 0,
            IFieldSymbol => true,
            _ => false,
        };
        if (!ordinary) return null;
        if (symbol.DeclaredAccessibility == Accessibility.Private) return new(type.Name, QualifiedByType: false);
        return symbol.IsStatic && (type.IsStatic || type.IsSealed) ? new(type.Name, QualifiedByType: true) : null;
    }

    /// <summary>
    /// Whether <paramref name="root"/> writes <paramref name="name"/> where it may refer to such a member:
    /// <paramref name="qualifiers"/> are the type's name and the global aliases of it (the document's own aliases are added here).
    /// </summary>
    public bool IsWritten(SyntaxNode root, string name, HashSet<string> qualifiers)
    {
        if (QualifiedByType)
        {
            foreach (var directive in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>())
            {
                var target = Rightmost(directive.NamespaceOrType);
                if (!string.Equals(target, Type, StringComparison.Ordinal)) continue;
                if (directive.StaticKeyword.IsKind(SyntaxKind.StaticKeyword)) return true;
                if (directive.Alias is { } alias) qualifiers.Add(alias.Name.Identifier.ValueText);
            }
        }
        foreach (var written in root.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            if (!string.Equals(written.Identifier.ValueText, name, StringComparison.Ordinal)) continue;
            if (written.Ancestors().OfType<BaseTypeDeclarationSyntax>().Any(t => string.Equals(t.Identifier.ValueText, Type, StringComparison.Ordinal))) return true;
            // Top-level statements are in the Program class its other partial parts declare.
            if (Type == "Program" && written.Ancestors().OfType<GlobalStatementSyntax>().Any()) return true;
            if (!QualifiedByType) continue;
            var qualifier = written.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Name == written => Rightmost(access.Expression),
                QualifiedNameSyntax qualified when qualified.Right == written => Rightmost(qualified.Left),
                _ => null,
            };
            if (qualifier is not null && qualifiers.Contains(qualifier)) return true;
        }
        return false;
    }

    /// <summary>The last name an expression or type writes (<c>N.Span</c>, <c>global::N.Span</c>, <c>Box&lt;int&gt;</c>); empty for anything else.</summary>
    private static string Rightmost(SyntaxNode? node) => node switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => "",
    };
}
