namespace OCI.LanguageServer.JsonRpc;

/// <summary>What the frame reader found next on the input: a body, a message too large to keep, or the end of input.</summary>
internal abstract record Frame
{
    /// <summary>A complete message body (the bytes after the header block).</summary>
    public sealed record Body(byte[] Bytes) : Frame;

    /// <summary>A message whose declared length exceeds the limit; its bytes were skipped, <see cref="Prefix"/> kept to find its id.</summary>
    public sealed record Oversized(long Length, byte[] Prefix) : Frame;

    public sealed record EndOfInput : Frame;
}
