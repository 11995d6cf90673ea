using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Engine.Editing;

/// <summary>
/// Recognises a member that waits for an implementation: its body only throws NotImplementedException, is empty
/// (for a non-void method, property or constructor with parameters and no <c>: this(…)</c>/<c>: base(…)</c>), or carries
/// a TODO comment. Syntax only, so
/// codeAction can ask it on every keystroke.
/// </summary>
public static class StubDetector
{
    public static bool IsStub(MemberDeclarationSyntax member) => member switch
    {
        BaseMethodDeclarationSyntax method => IsStubBody(method.Body, method.ExpressionBody, HasTodo(method), IsVoidLike(method)),
        BasePropertyDeclarationSyntax property => HasTodo(property)
            || (property as PropertyDeclarationSyntax)?.ExpressionBody is { } arrow && Throws(arrow.Expression)
            || property.AccessorList?.Accessors.Any(a => IsStubBody(a.Body, a.ExpressionBody, false, isVoidLike: a.Keyword.IsKind(SyntaxKind.SetKeyword) || a.Keyword.IsKind(SyntaxKind.InitKeyword))) == true,
        _ => false,
    };

    private static bool IsStubBody(BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, bool hasTodo, bool isVoidLike)
    {
        if (hasTodo) return true;
        if (arrow is not null) return Throws(arrow.Expression);
        if (body is null) return false; // abstract, extern, partial declaration, interface member
        if (body.Statements.Count == 0) return !isVoidLike;
        return body.Statements.Count == 1 && body.Statements[0] is ThrowStatementSyntax { Expression: { } thrown } && IsNotImplemented(thrown);
    }

    private static bool Throws(ExpressionSyntax expression) => expression is ThrowExpressionSyntax throwExpression && IsNotImplemented(throwExpression.Expression);

    private static bool IsNotImplemented(ExpressionSyntax thrown) =>
        thrown is BaseObjectCreationExpressionSyntax creation
        && (creation is ImplicitObjectCreationExpressionSyntax || ((ObjectCreationExpressionSyntax)creation).Type.ToString().EndsWith("NotImplementedException", StringComparison.Ordinal));

    /// <summary>A "// TODO" comment in the member's leading trivia or anywhere in its body.</summary>
    public static bool HasTodo(SyntaxNode member) =>
        member.DescendantTrivia(descendIntoTrivia: true)
            .Any(t => (t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia) || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                && t.ToString().Contains("TODO", StringComparison.Ordinal));

    /// <summary>
    /// A void method, a constructor with no parameters, or a constructor that chains to another (<c>: this(…)</c>,
    /// <c>: base(…)</c>, which does its work): an empty body there is a normal "do nothing".
    /// </summary>
    private static bool IsVoidLike(BaseMethodDeclarationSyntax method) => method switch
    {
        MethodDeclarationSyntax m => m.ReturnType is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword) && m.ParameterList.Parameters.Count == 0,
        ConstructorDeclarationSyntax c => c.ParameterList.Parameters.Count == 0 || c.Initializer is not null,
        _ => true,
    };
}
