using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;

namespace OCI.TestHost;

/// <summary>
/// xunit itself (xunit.core, xunit.execution.dotnet, xunit.assert), loaded once per host for each distinct set of
/// their bytes and shared by the rounds whose test folders hold the same files. A round's own context used to load
/// them afresh, and JIT-compiling xunit's discovery and execution again was most of a small round (a 3-test round of
/// CsvHelper: 0.20 s fresh, 0.03 s shared). The round's code stays in its own collectible context: only xunit's code
/// and statics are shared, and xunit keeps no state of a run between runs. Should a round's objects still be held
/// by something shared, its context does not unload and the caller replaces the host, as for any held round.
/// </summary>
internal sealed class TestFrameworkContext : AssemblyLoadContext
{
    /// <summary>The assemblies shared; xunit.abstractions is shared already, from the host's own context.</summary>
    public static readonly string[] SharedNames = ["xunit.core", "xunit.execution.dotnet", "xunit.assert"];

    private static readonly Dictionary<string, TestFrameworkContext> s_byContent = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string Path, long Length, DateTime Written), string> s_hashes = [];
    private static readonly Lock s_gate = new();

    // The folder of the latest round that asked for this context: every such folder holds the same bytes, and the latest
    // one exists (an earlier round's may have been cleaned away), so what is loaded late (xunit.assert at the first
    // assertion) is read from there.
    private volatile string _folder;
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.OrdinalIgnoreCase);

    private TestFrameworkContext(string folder, string key) : base("oci-test-framework:" + key[..12], isCollectible: false) => _folder = folder;

    /// <summary>
    /// The shared context for the xunit files in <paramref name="testFolder"/>; null when the folder does not hold all
    /// three (the round then loads what it has itself).
    /// </summary>
    public static TestFrameworkContext? For(string testFolder)
    {
        var key = "";
        foreach (var name in SharedNames)
        {
            var path = Path.Combine(testFolder, name + ".dll");
            if (!File.Exists(path)) return null;
            key += name + ":" + HashOf(path) + ";";
        }
        lock (s_gate)
        {
            if (!s_byContent.TryGetValue(key, out var context)) s_byContent[key] = context = new TestFrameworkContext(testFolder, Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))));
            context._folder = testFolder;
            return context;
        }
    }

    public static bool IsShared(AssemblyName name) => name.Name is { } n && SharedNames.Contains(n, StringComparer.OrdinalIgnoreCase);

    /// <summary>One of the shared assemblies, loaded once, from the latest round's folder (the same bytes).</summary>
    public Assembly LoadShared(AssemblyName name)
    {
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(name.Name!, out var assembly))
            {
                _loaded[name.Name!] = assembly = LoadFromAssemblyPath(Path.Combine(_folder, name.Name + ".dll"));
            }
            return assembly;
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName) => IsShared(assemblyName) ? LoadShared(assemblyName) : null; // else the host's

    /// <summary>By content, so the same package restored into several test folders is one context; cached by file stamp.</summary>
    private static string HashOf(string path)
    {
        var info = new FileInfo(path);
        var stamp = (path, info.Length, info.LastWriteTimeUtc);
        lock (s_gate)
        {
            if (s_hashes.TryGetValue(stamp, out var known)) return known;
        }
        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        lock (s_gate) s_hashes[stamp] = hash;
        return hash;
    }
}
