using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OCI.Engine.Editing;

namespace OCI.Engine.Tests;

/// <summary>What counts as a member waiting for an implementation ("Generate implementation" is offered on it).</summary>
public sealed class StubDetectorTests
{
    [Theory]
    [InlineData("public Money(decimal amount) : this(amount, \"EUR\") { }")]
    [InlineData("public Money(string currency) : base() { }")]
    [InlineData("public Money() { }")]
    [InlineData("public void Reset() { }")]
    [InlineData("public int Twice(int x) => x * 2;")]
    public void A_complete_member_is_not_a_stub(string member) => Assert.False(StubDetector.IsStub(Member(member)));

    [Theory]
    [InlineData("public Money(decimal amount, string currency) { }")]
    [InlineData("public Money(decimal amount) : this(amount, \"EUR\") { throw new NotImplementedException(); }")]
    [InlineData("public Money(decimal amount) : this(amount, \"EUR\") { } // TODO: round the amount")]
    [InlineData("public int Twice(int x) { }")]
    [InlineData("public int Twice(int x) => throw new NotImplementedException();")]
    public void A_member_waiting_for_code_is_a_stub(string member) => Assert.True(StubDetector.IsStub(Member(member)));

    private static MemberDeclarationSyntax Member(string code)
    {
        var tree = CSharpSyntaxTree.ParseText($"public class Money\n{{\n    {code}\n    public Money(decimal amount, string currency, int scale) {{ _ = scale; }}\n}}\n");
        return tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Single().Members[0];
    }
}
