using System.Buffers.Binary;
using System.Text;

namespace OCI.Models.Tests.Support;

/// <summary>
/// Writes a copy of a real GGUF (v2/v3) with string metadata added or replaced, so tests can give the tiny models in
/// ../shared/models what they lack (a <c>tokenizer.chat_template</c>, another architecture) without a model hub.
/// Layout: magic, version, tensor count (u64), KV count (u64), the KVs, the tensor infos, padding to
/// <c>general.alignment</c> (default 32), then the tensor data. Tensor offsets are relative to the start of the data
/// section, so the data is copied byte for byte and only the padding before it is recomputed for the grown header.
/// </summary>
internal static class GgufRewriter
{
    private const uint StringType = 8;
    private const uint ArrayType = 9;
    private const uint DefaultAlignment = 32;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> with the given string KVs set.</summary>
    public static void WriteWithStrings(string source, string destination, IReadOnlyDictionary<string, string> strings)
    {
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(destination, WithStrings(bytes, strings));
    }

    /// <summary>The GGUF <paramref name="gguf"/> with each key of <paramref name="strings"/> set to a string value.</summary>
    public static byte[] WithStrings(ReadOnlySpan<byte> gguf, IReadOnlyDictionary<string, string> strings)
    {
        var reader = new SpanReader(gguf);
        if (!reader.Bytes(4).SequenceEqual("GGUF"u8)) throw new InvalidDataException("not a GGUF file");
        var version = reader.U32();
        if (version is < 2 or > 3) throw new InvalidDataException($"GGUF version {version} is not supported");
        var tensorCount = reader.U64();
        var kvCount = reader.U64();

        var kvs = new List<(string Key, byte[] Raw)>();
        var alignment = DefaultAlignment;
        for (ulong i = 0; i < kvCount; i++)
        {
            var start = reader.Position;
            var key = reader.String();
            var type = reader.U32();
            if (key == "general.alignment" && type == 4) alignment = BinaryPrimitives.ReadUInt32LittleEndian(gguf[reader.Position..]);
            reader.SkipValue(type);
            kvs.Add((key, gguf[start..reader.Position].ToArray()));
        }

        var tensorInfoStart = reader.Position;
        for (ulong i = 0; i < tensorCount; i++)
        {
            reader.String();
            var dimensions = reader.U32();
            reader.Skip(checked(8 * (int)dimensions)); // the shape
            reader.Skip(4 + 8);                        // ggml type, offset in the data section
        }
        var tensorInfos = gguf[tensorInfoStart..reader.Position];
        var dataStart = Align(reader.Position, alignment);
        if (dataStart > gguf.Length) throw new InvalidDataException("the tensor data section is missing");

        var remaining = new Dictionary<string, string>(strings, StringComparer.Ordinal);
        using var output = new MemoryStream(gguf.Length + 4096);
        using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(version);
            writer.Write(tensorCount);
            writer.Write((ulong)(kvs.Count + strings.Keys.Count(k => kvs.All(kv => kv.Key != k))));
            foreach (var (key, raw) in kvs)
            {
                if (remaining.Remove(key, out var replacement)) WriteStringKv(writer, key, replacement);
                else writer.Write(raw);
            }
            foreach (var (key, value) in remaining) WriteStringKv(writer, key, value);
            writer.Write(tensorInfos);
            writer.Flush();
            var padding = Align(output.Length, alignment) - output.Length;
            writer.Write(new byte[padding]);
            writer.Write(gguf[(int)dataStart..]);
        }
        return output.ToArray();
    }

    private static long Align(long offset, uint alignment) => (offset + alignment - 1) / alignment * alignment;

    private static void WriteStringKv(BinaryWriter writer, string key, string value)
    {
        WriteString(writer, key);
        writer.Write(StringType);
        WriteString(writer, value);
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>A forward-only little-endian reader over the file's bytes.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Position { get; private set; }

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (Position + count > _bytes.Length) throw new EndOfStreamException();
            var span = _bytes.Slice(Position, count);
            Position += count;
            return span;
        }

        public void Skip(int count) => Bytes(count);

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        public string String() => Encoding.UTF8.GetString(Bytes(checked((int)U64())));

        public void SkipValue(uint type)
        {
            if (type == ArrayType)
            {
                var elementType = U32();
                var count = U64();
                for (ulong i = 0; i < count; i++) SkipValue(elementType);
                return;
            }
            if (type == StringType) { Skip(checked((int)U64())); return; }
            Skip(type switch
            {
                0 or 1 or 7 => 1,
                2 or 3 => 2,
                4 or 5 or 6 => 4,
                10 or 11 or 12 => 8,
                _ => throw new InvalidDataException($"unknown GGUF value type {type}"),
            });
        }
    }
}
