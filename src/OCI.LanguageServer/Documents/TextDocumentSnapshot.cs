using System.Text;
using Microsoft.CodeAnalysis.Text;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Documents;

/// <summary>
/// One immutable version of an open document, with the line index that converts between LSP positions (in the
/// negotiated encoding) and string offsets. Lines end at "\n", "\r\n" or "\r", as LSP defines them. Positions past the
/// end of a line clamp to the line's end, lines past the end of the document to its end (the spec's rule); a position
/// inside a surrogate pair or a UTF-8 sequence rounds down to the character's start.
/// </summary>
public sealed class TextDocumentSnapshot
{
    private readonly int[] _lineStarts;

    public TextDocumentSnapshot(string uri, string? path, string languageId, int version, string text)
    {
        Uri = uri;
        Path = path;
        LanguageId = languageId;
        Version = version;
        Text = text;
        _lineStarts = ComputeLineStarts(text);
    }

    public string Uri { get; }

    /// <summary>The local file path for file: URIs, else null (such documents are not given to the engine).</summary>
    public string? Path { get; }

    public string LanguageId { get; }

    public int Version { get; }

    public string Text { get; }

    public int LineCount => _lineStarts.Length;

    public TextDocumentSnapshot WithText(int version, string text) => new(Uri, Path, LanguageId, version, text);

    /// <summary>The string offset of <paramref name="position"/>, clamped into the document.</summary>
    public int GetOffset(Position position, PositionEncoding encoding)
    {
        if (position.Line < 0)
        {
            return 0;
        }
        if (position.Line >= _lineStarts.Length)
        {
            return Text.Length;
        }
        var lineStart = _lineStarts[position.Line];
        var contentEnd = LineContentEnd(position.Line);
        var character = Math.Max(0, position.Character);
        if (encoding == PositionEncoding.Utf16)
        {
            var offset = Math.Min(lineStart + character, contentEnd);
            if (offset > lineStart && offset < contentEnd && char.IsLowSurrogate(Text[offset]) && char.IsHighSurrogate(Text[offset - 1]))
            {
                offset--;
            }
            return offset;
        }

        var bytes = 0;
        var index = lineStart;
        while (index < contentEnd)
        {
            var width = Utf16Width(index, contentEnd);
            var utf8 = Utf8Length(index, width);
            if (bytes + utf8 > character)
            {
                break;
            }
            bytes += utf8;
            index += width;
        }
        return index;
    }

    /// <summary>The position of a string offset (clamped into the document) in <paramref name="encoding"/>.</summary>
    public Position GetPosition(int offset, PositionEncoding encoding)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }
        var lineStart = _lineStarts[line];
        var column = Math.Min(offset, LineContentEnd(line)) - lineStart;
        return encoding == PositionEncoding.Utf16
            ? new Position(line, column)
            : new Position(line, Encoding.UTF8.GetByteCount(Text.AsSpan(lineStart, column)));
    }

    public LinePosition ToLinePosition(Position position, PositionEncoding encoding)
    {
        var offset = GetOffset(position, encoding);
        var utf16 = GetPosition(offset, PositionEncoding.Utf16);
        return new LinePosition(utf16.Line, utf16.Character);
    }

    /// <summary>The Roslyn (UTF-16) span of an LSP range; a reversed range becomes empty at its start.</summary>
    public LinePositionSpan ToLinePositionSpan(Protocol.Range range, PositionEncoding encoding)
    {
        var start = ToLinePosition(range.Start, encoding);
        var end = ToLinePosition(range.End, encoding);
        return new LinePositionSpan(start, end < start ? start : end);
    }

    public Position FromLinePosition(LinePosition position, PositionEncoding encoding) =>
        GetPosition(GetOffset(new Position(position.Line, position.Character), PositionEncoding.Utf16), encoding);

    public Protocol.Range FromLinePositionSpan(LinePositionSpan span, PositionEncoding encoding) =>
        new(FromLinePosition(span.Start, encoding), FromLinePosition(span.End, encoding));

    /// <summary>The LSP range of [<paramref name="start"/>, <paramref name="end"/>) string offsets.</summary>
    public Protocol.Range GetRange(int start, int end, PositionEncoding encoding) =>
        new(GetPosition(start, encoding), GetPosition(end, encoding));

    private int LineContentEnd(int line)
    {
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        if (end > _lineStarts[line] && Text[end - 1] == '\n')
        {
            end--;
        }
        if (end > _lineStarts[line] && Text[end - 1] == '\r' && line + 1 < _lineStarts.Length)
        {
            end--;
        }
        return end;
    }

    private int Utf16Width(int index, int limit) =>
        char.IsHighSurrogate(Text[index]) && index + 1 < limit && char.IsLowSurrogate(Text[index + 1]) ? 2 : 1;

    private int Utf8Length(int index, int width)
    {
        if (width == 2)
        {
            return 4;
        }
        var c = Text[index];
        return c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // a lone surrogate encodes as U+FFFD: 3 bytes
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return [.. starts];
    }
}
