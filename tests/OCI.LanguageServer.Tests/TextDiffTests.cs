using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Commands;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Tests;

public sealed class TextDiffTests
{
    [Fact]
    public void One_changed_character_is_one_small_edit()
    {
        var edits = TextDiff.Compute("int a = 1;\nint b = 2;\nint c = 3;\n", "int a = 1;\nint b = 5;\nint c = 3;\n");
        Assert.Equal([new TextReplacement(19, 20, "5")], edits);
    }

    [Fact]
    public void Separate_changed_lines_are_separate_edits()
    {
        var old = "a\nb\nc\nd\ne\n";
        var edits = TextDiff.Compute(old, "A\nb\nc\nd\nE\n");
        Assert.Equal(2, edits.Count);
        Assert.Equal("A\nb\nc\nd\nE\n", TextDiff.Apply(old, edits));
    }

    [Fact]
    public void Edits_never_split_a_crlf_or_a_surrogate_pair()
    {
        var crlf = Assert.Single(TextDiff.Compute("a\r\nb", "a\nb"));
        Assert.Equal(new TextReplacement(1, 3, "\n"), crlf);
        var emoji = Assert.Single(TextDiff.Compute("x😀", "x😁"));
        Assert.Equal(new TextReplacement(1, 3, "😁"), emoji);
    }

    private static readonly Gen<string> Texts =
        Gen.Elements("a", "b", "x", "\t", "\n", "\r", "\r\n", "😀", "é", " ")
            .ListOf()
            .Select(parts => string.Concat(parts));

    /// <summary>
    /// For any two texts, the LSP edits (in either encoding), applied the way a client does, give the new text.
    /// </summary>
    [Fact]
    public void Edits_applied_as_a_client_would_give_the_new_text()
    {
        var pairs = Gen.Zip(Texts, Texts).Zip(Gen.Elements(PositionEncoding.Utf16, PositionEncoding.Utf8)).ToArbitrary();
        Prop.ForAll(pairs, input =>
        {
            var ((oldText, newText), encoding) = input;
            var before = new TextDocumentSnapshot("file:///p", "/p", "csharp", 1, oldText);
            var edits = WorkspaceEditBuilder.Diff(before, newText, encoding);
            // A client applies all edits against the original document: apply from the last to the first.
            var store = new DocumentStore(NullLogger.Instance) { Encoding = encoding };
            store.Open(new TextDocumentItem("file:///p", "csharp", 1, oldText));
            var changes = edits.Reverse().Select(e => new TextDocumentContentChangeEvent(e.NewText, e.Range)).ToList();
            var after = store.Change(new VersionedTextDocumentIdentifier("file:///p", 2), changes);
            return after.Text == newText;
        }).QuickCheckThrowOnFailure();
    }
}
