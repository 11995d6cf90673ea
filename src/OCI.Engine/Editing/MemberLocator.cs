using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Extraction;

namespace OCI.Engine.Editing;

/// <summary>Finds the declaration a request is about: the member under the cursor, else the type under it.</summary>
public static class MemberLocator
{
    /// <summary>
    /// The innermost method, constructor, property, indexer, operator or event declaration containing
    /// <paramref name="position"/>; null when the position is outside every member (then see <see cref="TypeAt"/>).
    /// </summary>
    public static MemberDeclarationSyntax? MemberAt(SyntaxNode root, int position)
    {
        var token = root.FindToken(Math.Clamp(position, 0, Math.Max(0, root.FullSpan.End - 1)));
        return token.Parent?.AncestorsAndSelf()
            .OfType<MemberDeclarationSyntax>()
            .FirstOrDefault(m => m is not (BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax or DelegateDeclarationSyntax or BaseFieldDeclarationSyntax or EnumMemberDeclarationSyntax));
    }

    /// <summary>The innermost type declaration containing <paramref name="position"/>.</summary>
    public static BaseTypeDeclarationSyntax? TypeAt(SyntaxNode root, int position)
    {
        var token = root.FindToken(Math.Clamp(position, 0, Math.Max(0, root.FullSpan.End - 1)));
        return token.Parent?.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();
    }

    /// <summary>The first member or type named <paramref name="name"/> ("Add", "Calculator.Add") in the file.</summary>
    public static MemberDeclarationSyntax? FindByName(SyntaxNode root, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var parts = name.Split('.');
        var memberName = parts[^1];
        var typeName = parts.Length > 1 ? parts[^2] : null;
        return root.DescendantNodes().OfType<MemberDeclarationSyntax>()
            .Where(m => CodeBlockExtractor.NameOf(m) == memberName)
            .Where(m => typeName is null || m.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText == typeName)
            // Prefer members over a type of the same name (constructors share their type's name).
            .OrderBy(m => m is BaseTypeDeclarationSyntax ? 1 : 0)
            .FirstOrDefault();
    }

    /// <summary>The leading whitespace of the line <paramref name="position"/> is on.</summary>
    public static string IndentationAt(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        var lineText = line.ToString();
        return lineText[..(lineText.Length - lineText.TrimStart().Length)];
    }

    /// <summary>A short human name for a declaration: "method Add", "class Calculator".</summary>
    public static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax => "method",
        ConstructorDeclarationSyntax => "constructor",
        PropertyDeclarationSyntax => "property",
        IndexerDeclarationSyntax => "indexer",
        ClassDeclarationSyntax => "class",
        StructDeclarationSyntax => "struct",
        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        InterfaceDeclarationSyntax => "interface",
        EnumDeclarationSyntax => "enum",
        _ => "member",
    } + " " + CodeBlockExtractor.NameOf(member);
}
