/// <summary>
/// A real repository the user-path benchmark (UserPathsBenchmark.cs) runs on, and the edits it makes in a copy of it:
/// the break on disk for the cold open, three typos for the typing path, the logic bug in a private helper (reached by
/// tests only through public API) with the scripted model's wrong and right replies. Each edit replaces the first
/// occurrence of <see cref="Break.Original"/>.
/// </summary>
internal sealed record UserPathRepository(
    string Name,
    string Solution,
    Break Cold,
    IReadOnlyList<Break> Typos,
    PrivateHelperBug Helper,
    IReadOnlyDictionary<string, string> PreparationFiles)
{
    /// <summary>../shared/corpus/csvhelper: 18k-line library, 1,063 xunit 2 tests, CRLF, tabs, 4 tests fail on Linux.</summary>
    public static UserPathRepository CsvHelper { get; } = new(
        "csvhelper",
        "CsvHelper.slnx",
        new Break("removed using", "src/CsvHelper/Factory.cs", "using System.Globalization;\r\n", "", "CultureInfo cultureInfo", "CS0246"),
        [
            new("typo FilBuffer", "src/CsvHelper/CsvParser.cs", "if (!FillBuffer())", "if (!FilBuffer())", "FilBuffer", "CS0103"),
            new("typo DetectDelimter", "src/CsvHelper/CsvParser.cs", "DetectDelimiter();", "DetectDelimter();", "DetectDelimter", "CS0103"),
            new("typo ReadSpace", "src/CsvHelper/CsvParser.cs", "ReadSpaces(ref c)", "ReadSpace(ref c)", "ReadSpace", "CS0103"),
        ],
        new PrivateHelperBug(
            "src/CsvHelper/TypeConversion/ByteArrayConverter.cs",
            "for (var i = 1; i < byteArray.Length; i++)",
            "for (var i = 2; i < byteArray.Length; i++)",
            "private string ByteArrayToHexString",
            "ByteArrayToHexString",
            // Wrong: the first byte twice. Right: upstream's code.
            HexReply("0"),
            HexReply("1")),
        new Dictionary<string, string>());

    /// <summary>
    /// datalust/superpower (parser combinators, about 5,200 library lines, 283 xunit 2 tests; LF, spaces, BOM). Not in the
    /// repository: `fetch github:datalust/superpower` (or git clone it), then pass its folder with --repo. The copy gets a
    /// Directory.Build.targets: this machine has only .NET 10 (upstream targets net8.0;net10.0 and older for the library)
    /// and the NuGet feed here lacks Microsoft.NET.Test.Sdk 18.4.0 (NU1603 resolves 18.5.1, which is an error under
    /// upstream's TreatWarningsAsErrors).
    /// </summary>
    public static UserPathRepository Superpower { get; } = new(
        "superpower",
        "Superpower.sln",
        new Break("misspelt method call", "src/Superpower/Parsers/Span.cs", "var ch = remainder.ConsumeChar();", "var ch = remainder.ConsumeCahr();", "ConsumeCahr", "CS1061"),
        [
            new("typo IsLatinDigt", "src/Superpower/Parsers/Numerics.cs", "|| !CharInfo.IsLatinDigit(next.Value))", "|| !CharInfo.IsLatinDigt(next.Value))", "IsLatinDigt", "CS0117"),
            new("typo ConsumeChr", "src/Superpower/Parsers/Numerics.cs", "next = remainder.ConsumeChar();", "next = remainder.ConsumeChr();", "ConsumeChr", "CS1061"),
            new("typo Vaule", "src/Superpower/Parsers/Numerics.cs", "return Result.Value(input.Until(remainder), input, remainder);", "return Result.Vaule(input.Until(remainder), input, remainder);", "Vaule", "CS0117"),
        ],
        new PrivateHelperBug(
            "src/Superpower/Parsers/Character.cs",
            "if (!next.HasValue || !predicate(next.Value))",
            "if (!next.HasValue || predicate(next.Value))",
            "static TextParser<char> Matching(Func<char, bool> predicate, string[] expectations)",
            "Matching",
            // Wrong: restructured, the predicate still inverted. Right: upstream's code.
            """
            ```csharp
            static TextParser<char> Matching(Func<char, bool> predicate, string[] expectations)
            {
                if (predicate == null) throw new ArgumentNullException(nameof(predicate));
                if (expectations == null) throw new ArgumentNullException(nameof(expectations));

                return input =>
                {
                    var next = input.ConsumeChar();
                    if (!next.HasValue)
                        return Result.Empty<char>(input, expectations);
                    if (predicate(next.Value))
                        return Result.Empty<char>(input, expectations);
                    return next;
                };
            }
            ```
            """,
            """
            ```csharp
            static TextParser<char> Matching(Func<char, bool> predicate, string[] expectations)
            {
                if (predicate == null) throw new ArgumentNullException(nameof(predicate));
                if (expectations == null) throw new ArgumentNullException(nameof(expectations));

                return input =>
                {
                    var next = input.ConsumeChar();
                    if (!next.HasValue || !predicate(next.Value))
                        return Result.Empty<char>(input, expectations);

                    return next;
                };
            }
            ```
            """),
        new Dictionary<string, string>
        {
            ["Directory.Build.targets"] = """
                <Project>
                  <!-- Added by the OCI user-path benchmark: only .NET 10 on this machine; Microsoft.NET.Test.Sdk 18.4.0 is not on the feed (18.5.1 resolves). -->
                  <PropertyGroup>
                    <TargetFrameworks>net10.0</TargetFrameworks>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                </Project>

                """,
        });

    /// <summary>The definition for the repository at <paramref name="folder"/>, known by its solution file.</summary>
    public static UserPathRepository For(string folder) =>
        new[] { CsvHelper, Superpower }.FirstOrDefault(r => File.Exists(Path.Combine(folder, r.Solution)))
        ?? throw new ArgumentException($"{folder} is neither the csvhelper corpus nor datalust/superpower (no CsvHelper.slnx or Superpower.sln): the user-path edits are written for those two");

    private static string HexReply(string start) => $$"""
        ```csharp
        private string ByteArrayToHexString(byte[] byteArray)
        {
        	var hexString = new StringBuilder();

        	if ((options & ByteArrayConverterOptions.HexInclude0x) == ByteArrayConverterOptions.HexInclude0x)
        	{
        		hexString.Append("0x");
        	}

        	if (byteArray.Length >= 1)
        	{
        		hexString.Append(byteArray[0].ToString("X2"));
        	}

        	for (var i = {{start}}; i < byteArray.Length; i++)
        	{
        		hexString.Append(HexStringPrefix + byteArray[i].ToString("X2"));
        	}

        	return hexString.ToString();
        }
        ```
        """;
}

/// <summary>
/// A logic bug in a private member: <paramref name="Original"/> becomes <paramref name="Buggy"/> in
/// <paramref name="File"/>; Run &amp; refine is asked at <paramref name="MemberMarker"/> (on <paramref name="MemberName"/>);
/// the scripted model answers <paramref name="WrongReply"/> first, then <paramref name="RightReply"/>.
/// </summary>
internal sealed record PrivateHelperBug(string File, string Original, string Buggy, string MemberMarker, string MemberName, string WrongReply, string RightReply);
