using System.Text;
using Microsoft.Extensions.Logging;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>
/// Reads LSP base-protocol frames (<c>Content-Length: N\r\n\r\n</c> + N bytes) from a stream, tolerating what a
/// broken client sends: header blocks without a valid Content-Length are skipped (re-synchronising on the next
/// <c>Content-Length:</c>), over-long header blocks are dropped, oversized bodies are skipped without buffering them.
/// StreamJsonRpc's own handler closes the connection on such input; this reader never does.
/// </summary>
internal sealed class FrameReader
{
    private const int MaxHeaderBytes = 8 * 1024;
    private const int OversizedPrefixBytes = 64 * 1024;
    private static readonly byte[] ContentLengthName = "Content-Length"u8.ToArray();

    private readonly Stream _input;
    private readonly long _maxMessageBytes;
    private readonly ILogger _logger;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _endOfInput;

    public FrameReader(Stream input, long maxMessageBytes, ILogger logger)
    {
        _input = input;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
    }

    public async ValueTask<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var headerEnd = FindHeaderEnd(out var terminatorLength);
            if (headerEnd < 0)
            {
                if (_end - _start > MaxHeaderBytes)
                {
                    _logger.LogWarning("Dropped {Count} bytes of input that hold no complete header block", _end - _start);
                    DiscardUpToNextContentLength(minimumSkip: _end - _start - ContentLengthName.Length);
                    continue;
                }
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (_end > _start && !IsWhitespace(_start, _end))
                    {
                        _logger.LogWarning("Input ended inside a header block ({Count} bytes dropped)", _end - _start);
                    }
                    return new Frame.EndOfInput();
                }
                continue;
            }

            if (headerEnd == _start)
            {
                _start += terminatorLength; // blank lines between messages
                continue;
            }

            var header = _buffer.AsSpan(_start, headerEnd - _start);
            var valid = ParseHeader(header, out var contentLength, out var problem);
            if (!valid && IndexOfGluedContentLength(header) is var glued and > 0)
            {
                // Bytes before a header (the tail of a body whose header was broken, or noise): skip to the header.
                _logger.LogWarning("Skipped {Count} bytes of input before a header", glued);
                _start += glued;
                continue;
            }
            if (!valid)
            {
                _logger.LogWarning("Dropped a message with a broken header ({Problem}): {Header}", problem, Printable(header));
                _start = headerEnd + terminatorLength;
                continue;
            }

            _start = headerEnd + terminatorLength;
            if (contentLength > _maxMessageBytes)
            {
                _logger.LogWarning("Skipping a message of {Length} bytes (limit {Limit})", contentLength, _maxMessageBytes);
                var prefix = await SkipAsync(contentLength, cancellationToken).ConfigureAwait(false);
                return prefix is null ? new Frame.EndOfInput() : new Frame.Oversized(contentLength, prefix);
            }

            var length = (int)contentLength;
            while (_end - _start < length)
            {
                EnsureCapacity(length);
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    _logger.LogWarning("Input ended inside a message body ({Have} of {Length} bytes)", _end - _start, length);
                    return new Frame.EndOfInput();
                }
            }
            var body = _buffer.AsSpan(_start, length).ToArray();
            _start += length;
            return new Frame.Body(body);
        }
    }

    private static bool ParseHeader(ReadOnlySpan<byte> header, out long contentLength, out string problem)
    {
        contentLength = -1;
        problem = "";
        var text = Encoding.ASCII.GetString(header);
        var lines = text.Split('\n');
        foreach (var rawLine in lines)
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : "";
            if (colon <= 0 || name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                problem = $"not a header line: '{Truncate(line)}'";
                return false;
            }
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length == 0 || value.Length > 18 || !value.All(char.IsAsciiDigit))
                {
                    problem = $"Content-Length is not a number: '{Truncate(value)}'";
                    return false;
                }
                var parsed = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                if (contentLength >= 0 && contentLength != parsed)
                {
                    problem = "conflicting Content-Length headers";
                    return false;
                }
                contentLength = parsed;
            }
        }
        if (contentLength < 0)
        {
            problem = "no Content-Length";
            return false;
        }
        return true;
    }

    /// <summary>Index of the blank line ending the header block (CRLF CRLF, or lenient LF LF), or -1.</summary>
    private int FindHeaderEnd(out int terminatorLength)
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] != (byte)'\n')
            {
                continue;
            }
            if (i + 1 < span.Length && span[i + 1] == (byte)'\n')
            {
                terminatorLength = 2;
                return _start + i;
            }
            if (i + 2 < span.Length && span[i + 1] == (byte)'\r' && span[i + 2] == (byte)'\n')
            {
                var lineEnd = i > 0 && span[i - 1] == (byte)'\r' ? i - 1 : i;
                terminatorLength = i + 3 - lineEnd;
                return _start + lineEnd;
            }
        }
        terminatorLength = 0;
        return -1;
    }

    /// <summary>Offset of a "Content-Length" that does not start a line (garbage glued before a header), or -1.</summary>
    private static int IndexOfGluedContentLength(ReadOnlySpan<byte> header)
    {
        var offset = 1;
        while (offset < header.Length)
        {
            var index = IndexOfContentLength(header[offset..]);
            if (index < 0)
            {
                return -1;
            }
            var at = offset + index;
            if (header[at - 1] != (byte)'\n')
            {
                return at;
            }
            offset = at + 1;
        }
        return -1;
    }

    private void DiscardUpToNextContentLength(int minimumSkip)
    {
        var skip = Math.Max(1, minimumSkip);
        var next = IndexOfContentLength(_buffer.AsSpan(_start + 1, _end - _start - 1));
        _start = next >= 0 ? _start + 1 + next : Math.Min(_end, _start + skip);
    }

    private static int IndexOfContentLength(ReadOnlySpan<byte> span)
    {
        for (var i = 0; i + ContentLengthName.Length <= span.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(span.Slice(i, ContentLengthName.Length), ContentLengthName))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Skips <paramref name="length"/> body bytes, keeping the first few; null when the input ends first.</summary>
    private async ValueTask<byte[]?> SkipAsync(long length, CancellationToken cancellationToken)
    {
        var prefix = new MemoryStream();
        var remaining = length;
        while (remaining > 0)
        {
            if (_end == _start && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            var take = (int)Math.Min(remaining, _end - _start);
            if (prefix.Length < OversizedPrefixBytes)
            {
                prefix.Write(_buffer, _start, (int)Math.Min(take, OversizedPrefixBytes - prefix.Length));
            }
            _start += take;
            remaining -= take;
        }
        return prefix.ToArray();
    }

    private void EnsureCapacity(int bytes)
    {
        if (_start > 0 && _buffer.Length - _start < bytes)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length < bytes)
        {
            Array.Resize(ref _buffer, Math.Max(bytes, _buffer.Length * 2));
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_endOfInput)
        {
            return false;
        }
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfInput = true;
            return false;
        }
        _end += read;
        return true;
    }

    private bool IsWhitespace(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (_buffer[i] is not ((byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        Truncate(Encoding.ASCII.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
