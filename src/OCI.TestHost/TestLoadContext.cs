using System.Reflection;
using System.Runtime.Loader;

namespace OCI.TestHost;

/// <summary>
/// One round's assemblies: the test assembly, the code under test and the test's own copy of xunit, loaded from the
/// test's output folder into a collectible context, so every round starts with fresh statics and the next round's
/// freshly emitted assemblies can be loaded under the same names. Only xunit.abstractions (the interfaces the host
/// talks through) and the shared framework come from the host's default context.
/// </summary>
internal sealed class TestLoadContext(string testAssemblyPath) : AssemblyLoadContext($"oci-test-round:{Path.GetFileName(testAssemblyPath)}", isCollectible: true)
{
    private readonly AssemblyDependencyResolver _resolver = new(testAssemblyPath);
    private readonly string _folder = Path.GetDirectoryName(testAssemblyPath)!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, "xunit.abstractions", StringComparison.OrdinalIgnoreCase)) return null;
        var local = Path.Combine(_folder, assemblyName.Name + ".dll");
        if (File.Exists(local) && !IsSharedFramework(assemblyName)) return LoadFromAssemblyPath(local);
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    /// <summary>Framework assemblies the app itself also uses must stay unified with the host's.</summary>
    private static bool IsSharedFramework(AssemblyName name) =>
        name.Name is { } n && (n.StartsWith("System.", StringComparison.Ordinal) || n == "System" || n == "netstandard" || n == "mscorlib"
            || n.StartsWith("Microsoft.Win32.", StringComparison.Ordinal))
        && File.Exists(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, n + ".dll"));
}
