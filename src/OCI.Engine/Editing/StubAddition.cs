using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OCI.Workspace;

namespace OCI.Engine.Editing;

/// <summary>A member a candidate turns into a stub: it now throws NotImplementedException where it did not before.</summary>
public sealed record AddedStub(string Path, string Member);

/// <summary>
/// Finds the stubs a candidate adds: <c>throw new NotImplementedException()</c> (or <c>System.NotImplementedException</c>)
/// in a member of the new text, more times than that member threw it in the text as it is. Roslyn's "Generate method",
/// "Generate class" and "Implement interface" write exactly that; a fix that does compiles, but is no fix.
/// Syntax only (no semantic model): cheap enough for every candidate.
/// </summary>
public static class StubAddition
{
    /// <param name="currentText">The text of a path as it is now (null: a new file).</param>
    public static IReadOnlyList<AddedStub> Find(IReadOnlyList<FileChange> changes, Func<string, string?> currentText)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(currentText);
        var added = new List<AddedStub>();
        foreach (var change in changes)
        {
            // Cheap first: no throw of it in the new text, no stub.
            if (!change.NewText.Contains("NotImplementedException", StringComparison.Ordinal)) continue;
            var before = Throwing(currentText(change.Path) ?? "");
            foreach (var (member, count) in Throwing(change.NewText))
            {
                if (count > before.GetValueOrDefault(member)) added.Add(new AddedStub(change.Path, member));
            }
        }
        return added;
    }

    /// <summary>Members (by name) and how many NotImplementedException throws each holds.</summary>
    private static Dictionary<string, int> Throwing(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!text.Contains("NotImplementedException", StringComparison.Ordinal)) return counts;
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            var thrown = node switch
            {
                ThrowStatementSyntax statement => statement.Expression,
                ThrowExpressionSyntax expression => expression.Expression,
                _ => null,
            };
            if (thrown is not ObjectCreationExpressionSyntax creation || !IsNotImplemented(creation.Type)) continue;
            var member = MemberName(node);
            counts[member] = counts.GetValueOrDefault(member) + 1;
        }
        return counts;
    }

    private static bool IsNotImplemented(TypeSyntax type) =>
        type.ToString() is "NotImplementedException" or "System.NotImplementedException" or "global::System.NotImplementedException";

    /// <summary>"ZqAdd", "Count", "Shape" (a constructor or the type itself): the closest named member around the throw.</summary>
    private static string MemberName(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case MethodDeclarationSyntax method: return method.Identifier.ValueText;
                case LocalFunctionStatementSyntax local: return local.Identifier.ValueText;
                case PropertyDeclarationSyntax property: return property.Identifier.ValueText;
                case IndexerDeclarationSyntax: return "this[]";
                case EventDeclarationSyntax @event: return @event.Identifier.ValueText;
                case ConstructorDeclarationSyntax constructor: return constructor.Identifier.ValueText;
                case OperatorDeclarationSyntax @operator: return "operator " + @operator.OperatorToken.ValueText;
                case ConversionOperatorDeclarationSyntax conversion: return "operator " + conversion.Type;
                case BaseTypeDeclarationSyntax type: return type.Identifier.ValueText;
            }
        }
        return "a member";
    }
}
