using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OCI.Models.Llama;

/// <summary>
/// The scalar metadata of a GGUF file, read in managed code before anything reaches llama.cpp: the magic bytes decide
/// whether the file is a GGUF at all, and the architecture and shape decide the memory estimate and the error message
/// when llama.cpp refuses the architecture. Arrays (the vocabulary) are skipped, not read.
/// </summary>
public sealed class GgufHeader
{
    private static readonly byte[] Magic = "GGUF"u8.ToArray();

    private GgufHeader(uint version, IReadOnlyDictionary<string, string> metadata)
    {
        Version = version;
        Metadata = metadata;
    }

    public uint Version { get; }

    /// <summary>Scalar metadata as invariant strings (arrays are left out).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public string Architecture => Metadata.TryGetValue("general.architecture", out var a) ? a : "unknown";

    public string? ChatTemplate => Metadata.TryGetValue("tokenizer.chat_template", out var t) ? t : null;

    public long? GetInteger(string key) =>
        Metadata.TryGetValue(key, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The architecture-specific integer, e.g. <c>block_count</c> → <c>llama.block_count</c>.</summary>
    public long? GetArchitectureInteger(string suffix) => GetInteger(Architecture + "." + suffix);

    /// <summary>True when the file starts with the GGUF magic bytes.</summary>
    public static bool HasGgufMagic(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(Magic);
    }

    /// <summary>Reads the header; throws <see cref="ModelException"/> for a file that is not a readable GGUF.</summary>
    public static GgufHeader Read(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"Model file not found: {path}");
        if (!HasGgufMagic(path))
        {
            throw new ModelException($"{path} is not a GGUF model file (it does not start with the GGUF magic bytes).");
        }
        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            reader.ReadUInt32(); // magic, checked above
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3) throw new ModelException($"{path} is GGUF version {version}; only versions 2 and 3 are supported.");
            reader.ReadUInt64(); // tensor count
            var kvCount = reader.ReadUInt64();
            if (kvCount > 1_000_000) throw new ModelException($"{path} has a corrupt GGUF header ({kvCount} metadata entries).");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            for (ulong i = 0; i < kvCount; i++)
            {
                var key = ReadString(reader);
                var type = reader.ReadUInt32();
                var value = ReadValue(reader, type);
                if (value is not null) metadata[key] = value;
            }
            return new GgufHeader(version, metadata);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelException($"{path} is a truncated GGUF file (the metadata ends early).", e);
        }
        catch (InvalidDataException e)
        {
            throw new ModelException($"{path} has a corrupt GGUF header: {e.Message}", e);
        }
    }

    private static string ReadString(BinaryReader reader)
    {
        var length = reader.ReadUInt64();
        if (length > 64 * 1024 * 1024) throw new InvalidDataException($"string of {length} bytes");
        var bytes = reader.ReadBytes((int)length);
        if ((ulong)bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Returns scalars as invariant strings and skips arrays (null).</summary>
    private static string? ReadValue(BinaryReader reader, uint type)
    {
        var c = CultureInfo.InvariantCulture;
        switch (type)
        {
            case 0: return reader.ReadByte().ToString(c);
            case 1: return reader.ReadSByte().ToString(c);
            case 2: return reader.ReadUInt16().ToString(c);
            case 3: return reader.ReadInt16().ToString(c);
            case 4: return reader.ReadUInt32().ToString(c);
            case 5: return reader.ReadInt32().ToString(c);
            case 6: return reader.ReadSingle().ToString(c);
            case 7: return reader.ReadByte() != 0 ? "true" : "false";
            case 8: return ReadString(reader);
            case 9:
                var elementType = reader.ReadUInt32();
                var count = reader.ReadUInt64();
                SkipArray(reader, elementType, count);
                return null;
            case 10: return reader.ReadUInt64().ToString(c);
            case 11: return reader.ReadInt64().ToString(c);
            case 12: return reader.ReadDouble().ToString(c);
            default: throw new InvalidDataException($"unknown metadata type {type}");
        }
    }

    private static void SkipArray(BinaryReader reader, uint elementType, ulong count)
    {
        var size = elementType switch
        {
            0 or 1 or 7 => 1,
            2 or 3 => 2,
            4 or 5 or 6 => 4,
            10 or 11 or 12 => 8,
            _ => 0,
        };
        if (size > 0)
        {
            reader.BaseStream.Seek(checked((long)count * size), SeekOrigin.Current);
            return;
        }
        for (ulong i = 0; i < count; i++)
        {
            if (elementType == 8) reader.BaseStream.Seek(checked((long)reader.ReadUInt64()), SeekOrigin.Current);
            else if (elementType == 9) SkipArray(reader, reader.ReadUInt32(), reader.ReadUInt64());
            else throw new InvalidDataException($"unknown array element type {elementType}");
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"GGUF v{Version} {Architecture}");
}
