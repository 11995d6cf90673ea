using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace OCI.HumanEval;

/// <summary>
/// The metadata references candidate programs compile against, loaded once per process: reading ~160 assemblies is
/// the cold part of a compile; shared, a warm compile takes ~10–15 ms. Prefers the SDK's reference pack for the
/// running runtime's version (real reference assemblies); falls back to the running runtime's own assemblies.
/// </summary>
public static class ReferenceAssemblies
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Shared = new(Load);

    public static IReadOnlyList<MetadataReference> NetCoreApp => Shared.Value;

    /// <summary>Where the references came from (for the harness report).</summary>
    public static string Source { get; private set; } = "";

    /// <summary>The dotnet root (…/dotnet) of the running runtime, or null when it cannot be found.</summary>
    public static string? DotnetRoot
    {
        get
        {
            // …/dotnet/shared/Microsoft.NETCore.App/10.0.x/
            var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
            return runtime.Parent?.Parent?.Parent?.FullName;
        }
    }

    private static IReadOnlyList<MetadataReference> Load()
    {
        var files = FromReferencePack() ?? FromRuntime();
        return [.. files.Select(f => MetadataReference.CreateFromFile(f))];
    }

    private static List<string>? FromReferencePack()
    {
        if (DotnetRoot is not { } root) return null;
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var major = Environment.Version.Major;
        var minor = Environment.Version.Minor;
        var tfm = $"net{major}.{minor}";
        var best = Directory.GetDirectories(packs)
            .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(p => p.Version is not null && p.Version.Major == major && p.Version.Minor == minor)
            .OrderByDescending(p => p.Version)
            .Select(p => Path.Combine(p.Directory, "ref", tfm))
            .FirstOrDefault(Directory.Exists);
        if (best is null) return null;
        Source = best;
        return [.. Directory.GetFiles(best, "*.dll")];
    }

    private static List<string> FromRuntime()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        Source = runtimeDirectory;
        // The trusted platform assemblies that live in the runtime's folder: the framework, not the host's own packages.
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(f => Path.GetDirectoryName(f) is { } d && Path.GetFullPath(d + Path.DirectorySeparatorChar) == Path.GetFullPath(runtimeDirectory))
            .ToList();
        return trusted.Count > 0 ? trusted : [.. Directory.GetFiles(runtimeDirectory, "*.dll").Where(f => Path.GetFileName(f).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(f) is "mscorlib.dll" or "netstandard.dll")];
    }
}
