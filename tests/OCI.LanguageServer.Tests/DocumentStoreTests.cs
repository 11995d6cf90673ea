using Microsoft.Extensions.Logging.Abstractions;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Tests;

public sealed class DocumentStoreTests
{
    private static DocumentStore Store(PositionEncoding encoding) => new(NullLogger.Instance) { Encoding = encoding };

    private static TextDocumentContentChangeEvent Replace(int l1, int c1, int l2, int c2, string text) =>
        new(text, new Protocol.Range(new Position(l1, c1), new Position(l2, c2)));

    [Theory]
    [InlineData(PositionEncoding.Utf16, 4, 6)]
    [InlineData(PositionEncoding.Utf8, 4, 7)]
    public void Positions_inside_a_surrogate_pair_or_utf8_sequence_round_down(PositionEncoding encoding, int inside, int after)
    {
        // "ab😀c": 😀 starts at UTF-16 2 / UTF-8 2 and ends at UTF-16 4 / UTF-8 6.
        var snapshot = new TextDocumentSnapshot("file:///x", "/x", "csharp", 1, "ab😀c");
        Assert.Equal(2, snapshot.GetOffset(new Position(0, 3), encoding));
        Assert.Equal(encoding == PositionEncoding.Utf16 ? 4 : 2, snapshot.GetOffset(new Position(0, inside), encoding));
        Assert.Equal(5, snapshot.GetOffset(new Position(0, after), encoding));
        Assert.Equal(new Position(0, encoding == PositionEncoding.Utf16 ? 5 : 7), snapshot.GetPosition(5, encoding));
    }

    [Fact]
    public void Lines_end_at_lf_crlf_and_cr_and_characters_clamp_to_the_line_end()
    {
        var snapshot = new TextDocumentSnapshot("file:///x", "/x", "csharp", 1, "a\r\nbb\rccc\nd");
        Assert.Equal(4, snapshot.LineCount);
        Assert.Equal(1, snapshot.GetOffset(new Position(0, 99), PositionEncoding.Utf16)); // before \r\n
        Assert.Equal(5, snapshot.GetOffset(new Position(1, 2), PositionEncoding.Utf16));
        Assert.Equal(6, snapshot.GetOffset(new Position(2, 0), PositionEncoding.Utf16));
        Assert.Equal(11, snapshot.GetOffset(new Position(3, 1), PositionEncoding.Utf16));
        Assert.Equal(11, snapshot.GetOffset(new Position(40, 0), PositionEncoding.Utf16));
        Assert.Equal(new Position(1, 2), snapshot.GetPosition(5, PositionEncoding.Utf16));
    }

    [Fact]
    public void Changes_apply_in_order_and_versions_advance()
    {
        var store = Store(PositionEncoding.Utf16);
        store.Open(new TextDocumentItem("file:///tmp/a.cs", "csharp", 1, "\tx = 1;\r\n"));
        var changed = store.Change(new VersionedTextDocumentIdentifier("file:///tmp/a.cs", 2),
            [Replace(0, 1, 0, 2, "y"), Replace(0, 6, 0, 6, "0"), Replace(1, 0, 1, 0, "end")]);
        Assert.Equal("\ty = 10;\r\nend", changed.Text);
        Assert.Equal(2, changed.Version);
        Assert.Equal("/tmp/a.cs", changed.Path);
        Assert.Same(changed, store.GetByPath("/tmp/a.cs"));
        Assert.Throws<DocumentChangeException>(() => store.Change(new VersionedTextDocumentIdentifier("file:///tmp/b.cs", 1), [new("z")]));
        Assert.True(store.Close("file:///tmp/a.cs"));
        Assert.Null(store.Get("file:///tmp/a.cs"));
    }

    [Fact]
    public void Non_file_uris_have_no_path()
    {
        var store = Store(PositionEncoding.Utf16);
        Assert.Null(store.Open(new TextDocumentItem("untitled:Untitled-1", "csharp", 1, "")).Path);
    }
}
