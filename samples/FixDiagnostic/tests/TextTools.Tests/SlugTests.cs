using TextTools;

namespace TextTools.Tests;

public class SlugTests
{
    [Fact]
    public void LowercasesAndJoinsWordsWithDashes() => Assert.Equal("hello-world", Slug.From("Hello, World!"));

    [Fact]
    public void KeepsDigits() => Assert.Equal("net-10-is-here", Slug.From("  .NET 10 is here  "));
}
