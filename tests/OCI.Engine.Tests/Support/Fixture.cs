namespace OCI.Engine.Tests.Support;

/// <summary>The small code base the engine tests work on: a calculator with a stub, and its xunit tests.</summary>
public static class Fixture
{
    public const string Calculator = """
        namespace Lib;

        /// <summary>Arithmetic for the tests.</summary>
        public class Calculator
        {
            public int Add(int a, int b)
            {
                throw new NotImplementedException();
            }

            public int Twice(int x) => x * 2;

            public int Sum(IEnumerable<int> values)
            {
                var total = 0;
                foreach (var value in values)
                {
                    total += value;
                }
                return total;
            }
        }
        """;

    public const string Formatter = """
        namespace Lib;

        public static class Formatter
        {
            public static string Describe(Calculator calculator, int a, int b) => $"{a} + {b} = {calculator.Add(a, b)}";
        }
        """;

    public const string CalculatorTests = """
        using Lib;

        namespace Lib.Tests;

        public class CalculatorTests
        {
            [Fact]
            public void AddsTwoNumbers()
            {
                Assert.Equal(5, new Calculator().Add(2, 3));
            }

            [Fact]
            public void TwiceDoubles()
            {
                Assert.Equal(8, new Calculator().Twice(4));
            }
        }
        """;

    /// <summary>The fixture with <c>Add</c> still a stub (its test fails).</summary>
    public static InMemoryWorkspaceHost CreateHost(params (string Name, string Text)[] extraLibraryFiles) => CreateHost(stubbedAdd: true, extraLibraryFiles);

    /// <param name="stubbedAdd">False implements <c>Add</c>, so the whole test suite passes.</param>
    public static InMemoryWorkspaceHost CreateHost(bool stubbedAdd, params (string Name, string Text)[] extraLibraryFiles)
    {
        var calculator = stubbedAdd ? Calculator : Calculator.Replace("throw new NotImplementedException();", "return a + b;", StringComparison.Ordinal);
        var library = new Dictionary<string, string> { ["Calculator.cs"] = calculator, ["Formatter.cs"] = Formatter };
        foreach (var (name, text) in extraLibraryFiles) library[name] = text;
        return InMemoryWorkspaceHost.Create(library, new Dictionary<string, string> { ["CalculatorTests.cs"] = CalculatorTests });
    }
}
