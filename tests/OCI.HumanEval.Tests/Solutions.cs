namespace OCI.HumanEval.Tests;

/// <summary>Hand-written replies for a handful of HumanEval-C# problems, in the shapes models answer in.</summary>
internal static class Solutions
{
    public const string HasCloseElementsCorrect = """
        Here is the solution:
        ```csharp
        public static bool HasCloseElements(List<float> numbers, float threshold) {
            for (int i = 0; i < numbers.Count; i++)
                for (int j = i + 1; j < numbers.Count; j++)
                    if (Math.Abs(numbers[i] - numbers[j]) < threshold) return true;
            return false;
        }
        ```
        It compares every pair.
        """;

    /// <summary>Off by one: compares each number with itself too, so it always finds a "close" pair.</summary>
    public const string HasCloseElementsWrong = """
        ```csharp
        public static bool HasCloseElements(List<float> numbers, float threshold) {
            for (int i = 0; i < numbers.Count; i++)
                for (int j = i; j < numbers.Count; j++)
                    if (Math.Abs(numbers[i] - numbers[j]) < threshold) return true;
            return false;
        }
        ```
        """;

    /// <summary>A whole class with a helper and a Main of its own (dropped).</summary>
    public const string GcdCorrectAsClass = """
        ```csharp
        using System;
        class Solution {
            public long GreatestCommonDivisor(long a, long b) {
                return Gcd(Math.Abs(a), Math.Abs(b));
            }
            private long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
            public static void Main(string[] args) { Console.WriteLine(new Solution().GreatestCommonDivisor(3, 5)); }
        }
        ```
        """;

    /// <summary>A raw continuation of the prompt, as a completion model writes it, cut at MultiPL-E's stop token.</summary>
    public const string TruncateNumberCorrectRaw = "        return number - (float)Math.Floor(number);\n    }\n    public static void Main() { }\n";

    public const string TruncateNumberDoesNotCompile = "```csharp\nreturn number - Math.Floor(number);\n```";

    /// <summary>Expression-bodied, unfenced.</summary>
    public const string StrlenCorrectExpression = "public static long Strlen(string str) => str.Length;";

    public const string BelowZeroCorrectBody = """
        ```cs
        long balance = 0;
        foreach (var op in operations) { balance += op; if (balance < 0) return true; }
        return false;
        }
        ```
        """;

    /// <summary>Lists compared structurally (tests_deep_equals); uses a using directive the prompt lacks.</summary>
    public const string FilterBySubstringCorrect = """
        ```csharp
        using System.Text.RegularExpressions;
        public static List<string> FilterBySubstring(List<string> strings, string substring) {
            return strings.Where(s => Regex.IsMatch(s, Regex.Escape(substring))).ToList();
        }
        ```
        """;

    public const string SumProductCorrect = """
        ```csharp
        public static Tuple<long, long> SumProduct(List<long> numbers) {
            long sum = 0, product = 1;
            foreach (var n in numbers) { sum += n; product *= n; }
            return Tuple.Create(sum, product);
        }
        ```
        """;

    public const string SumProductThrows = """
        ```csharp
        public static Tuple<long, long> SumProduct(List<long> numbers) {
            return Tuple.Create(numbers.Sum(), numbers.Aggregate((a, b) => a * b));
        }
        ```
        """;

    public const string StrlenLoopsForever = """
        ```csharp
        public static long Strlen(string str) {
            long n = 0;
            while (true) { n++; }
        }
        ```
        """;

    /// <summary>Exits with 0 before any assertion runs: must not pass.</summary>
    public const string StrlenExitsEarly = """
        ```csharp
        public static long Strlen(string str) {
            Environment.Exit(0);
            return 0;
        }
        ```
        """;

    /// <summary>Deletes what it can reach from its working folder, HOME and TMPDIR, then exits 0 early.</summary>
    public const string StrlenDeletesFiles = """
        ```csharp
        public static long Strlen(string str) {
            foreach (var dir in new[] { ".", Environment.GetEnvironmentVariable("HOME"), Environment.GetEnvironmentVariable("TMPDIR"), ".." }) {
                try { foreach (var f in System.IO.Directory.GetFiles(dir)) System.IO.File.Delete(f); } catch { }
            }
            Environment.Exit(0);
            return str.Length;
        }
        ```
        """;

    /// <summary>Declares its own Debug class, which would swallow the asserts if Main bound to it.</summary>
    public const string StrlenShadowsDebug = """
        ```csharp
        public static long Strlen(string str) {
            return 42;
        }
        class Debug { public static void Assert(bool condition) { } }
        ```
        """;
}
