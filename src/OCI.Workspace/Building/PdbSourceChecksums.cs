using System.Reflection.Metadata;
using System.Security.Cryptography;

namespace OCI.Workspace.Building;

/// <summary>
/// The source files an assembly was compiled from, with their checksums, as its portable PDB records them (the PDB
/// beside the assembly). Why: it says exactly which text each file had when the assembly was built, which file times
/// cannot. Deterministic source paths (<c>/_/</c>, the repository's root in a CI or SourceLink build) are read as
/// under <c>repositoryRoot</c>. Null when there is no portable PDB.
/// </summary>
public static class PdbSourceChecksums
{
    private static readonly Guid Sha1 = new("ff1816ec-aa5e-4d10-87f7-6f4963833460");
    private static readonly Guid Sha256 = new("8829d00f-11b8-4213-878b-770e8597ac16");

    /// <summary>One source file's checksum and the algorithm that computed it.</summary>
    public sealed record Checksum(Guid Algorithm, byte[] Hash)
    {
        /// <summary>Whether <paramref name="bytes"/> (the file as it is now) hash to this checksum.</summary>
        public bool Matches(byte[] bytes) =>
            Algorithm == Sha256 ? SHA256.HashData(bytes).AsSpan().SequenceEqual(Hash)
            : Algorithm == Sha1 && SHA1.HashData(bytes).AsSpan().SequenceEqual(Hash);
    }

    /// <summary>
    /// Whether <paramref name="assembly"/> is a whole PE file whose debug directory names the portable PDB beside it (the
    /// same id): an assembly cut short, or a PDB from another build, is not.
    /// </summary>
    public static bool IsOwnPdb(string assembly)
    {
        var pdb = Path.ChangeExtension(assembly, ".pdb");
        if (!File.Exists(assembly) || !File.Exists(pdb)) return false;
        try
        {
            using var peStream = File.OpenRead(assembly);
            using var pe = new System.Reflection.PortableExecutable.PEReader(peStream);
            if (!pe.IsEntireImageAvailable || pe.PEHeaders.PEHeader is null) return false;
            var codeView = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.CodeView);
            if (codeView.DataSize == 0) return false;
            var expected = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;
            using var pdbStream = File.OpenRead(pdb);
            using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
            var id = provider.GetMetadataReader().DebugMetadataHeader?.Id;
            return id is { Length: >= 16 } bytes && new Guid(bytes.AsSpan(0, 16)) == expected;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The checksums by full path of the files <paramref name="assembly"/> was compiled from; null when they cannot be read.</summary>
    public static IReadOnlyDictionary<string, Checksum>? Read(string assembly, string repositoryRoot)
    {
        var pdb = Path.ChangeExtension(assembly, ".pdb");
        if (!File.Exists(pdb)) return null;
        try
        {
            using var stream = File.OpenRead(pdb);
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            var reader = provider.GetMetadataReader();
            var checksums = new Dictionary<string, Checksum>(StringComparer.Ordinal);
            foreach (var handle in reader.Documents)
            {
                var document = reader.GetDocument(handle);
                var path = reader.GetString(document.Name);
                if (path.StartsWith("/_/", StringComparison.Ordinal)) path = Path.Combine(repositoryRoot, path[3..]);
                if (!Path.IsPathRooted(path)) return null;
                checksums[Path.GetFullPath(path)] = new Checksum(reader.GetGuid(document.HashAlgorithm), reader.GetBlobBytes(document.Hash));
            }
            return checksums;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            return null; // a Windows PDB, or unreadable: the caller takes nothing for granted
        }
    }
}
