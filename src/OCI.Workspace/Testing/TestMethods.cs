using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Testing;

/// <summary>Test methods as the frameworks mark them, and their names as test runners report them.</summary>
public static class TestMethods
{
    private static readonly string[] TestAttributes = ["Fact", "Theory", "Test", "TestCase", "TestMethod", "DataTestMethod"];

    /// <summary>A method with xunit's, NUnit's or MSTest's test attribute.</summary>
    public static bool IsTestMethod(MethodDeclarationSyntax method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
        {
            var name = a.Name is QualifiedNameSyntax q ? q.Right.Identifier.ValueText : (a.Name as SimpleNameSyntax)?.Identifier.ValueText ?? a.Name.ToString();
            if (name.EndsWith("Attribute", StringComparison.Ordinal)) name = name[..^"Attribute".Length];
            return TestAttributes.Contains(name);
        });
    }

    /// <summary>
    /// A test method's fully qualified name as test runners report it, from its syntax alone (no semantic model for
    /// each of possibly hundreds of test files): namespaces, then types (nested ones joined by '+'), then the method.
    /// </summary>
    public static string Name(MethodDeclarationSyntax method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var types = method.Ancestors().OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText).Reverse();
        var namespaces = method.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse();
        return string.Join('.', namespaces.Append(string.Join('+', types)).Append(method.Identifier.ValueText).Where(p => p.Length > 0));
    }
}
