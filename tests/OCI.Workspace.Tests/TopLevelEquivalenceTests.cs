using Microsoft.CodeAnalysis.CSharp;
using OCI.Workspace.Compilation;

namespace OCI.Workspace.Tests;

/// <summary>When only one project needs compiling again: changes that leave every declaration (and every inlined value) as it was.</summary>
public sealed class TopLevelEquivalenceTests
{
    private const string Code = """
        using System;
        using System.Text;
        namespace Lib;
        public enum Mode { A = 1, B = 2 }
        public static class Calc
        {
            public const int Seed = 2;
            private static readonly int Cached = Compute();
            public static int Add(int a, int b = 1) { return a + b; }
            public static int Twice(int a) => a * 2;
            private static int Compute() => 4;
        }
        """;

    private static bool Equivalent(string oldText, string newText) =>
        TopLevelEquivalence.AreEquivalent(CSharpSyntaxTree.ParseText(Code), CSharpSyntaxTree.ParseText(Code.Replace(oldText, newText, StringComparison.Ordinal)), CancellationToken.None);

    [Theory]
    [InlineData("return a + b;", "return b + a;")]
    [InlineData("=> a * 2;", "=> a + a;")]
    [InlineData("Cached = Compute();", "Cached = Compute() + 1;")]
    [InlineData("public static class Calc", "public  static  class   Calc")]
    [InlineData("using System;\nusing System.Text;", "using System.Text;\nusing System;")] // their order means nothing
    public void Body_and_initializer_changes_keep_the_declarations(string oldText, string newText) => Assert.True(Equivalent(oldText, newText));

    [Theory]
    [InlineData("Seed = 2;", "Seed = 3;")] // const: inlined into every dependant
    [InlineData("B = 2", "B = 3")] // enum member value: inlined
    [InlineData("int b = 1", "int b = 2")] // parameter default: inlined at each call site
    [InlineData("public static int Add(int a", "public static long Add(int a")]
    [InlineData("using System;", "using System.Text;")]
    [InlineData("using System.Text;\n", "")]
    [InlineData("using System;\nusing System.Text;", "using System.Text;\nusing System;\nusing System.Linq;")]
    [InlineData("private static int Compute()", "internal static int Compute()")]
    public void Declaration_and_inlined_value_changes_are_not_equivalent(string oldText, string newText) => Assert.False(Equivalent(oldText, newText));
}
