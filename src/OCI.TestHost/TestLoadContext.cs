using System.Reflection;
using System.Runtime.Loader;

namespace OCI.TestHost;

/// <summary>
/// One round's assemblies: the test assembly and the code under test, loaded from the test's output folder into a
/// collectible context, so every round starts with fresh statics and the next round's freshly emitted assemblies can
/// be loaded under the same names. xunit comes from the <see cref="TestFrameworkContext"/> for the folder's copy of it
/// (the round's own copy where the folder lacks one); xunit.abstractions (the interfaces the host talks through) and
/// the shared framework from the host's default context, except Microsoft.CSharp (below).
/// </summary>
internal sealed class TestLoadContext(string testAssemblyPath) : AssemblyLoadContext($"oci-test-round:{Path.GetFileName(testAssemblyPath)}", isCollectible: true)
{
    private readonly AssemblyDependencyResolver _resolver = new(testAssemblyPath);
    private readonly string _folder = Path.GetDirectoryName(testAssemblyPath)!;
    private readonly TestFrameworkContext? _framework = TestFrameworkContext.For(Path.GetDirectoryName(testAssemblyPath)!);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, "xunit.abstractions", StringComparison.OrdinalIgnoreCase)) return null;
        if (_framework is not null && TestFrameworkContext.IsShared(assemblyName)) return _framework.LoadShared(assemblyName);
        // The C# runtime binder (dynamic) caches every type it binds in statics, forever: shared from the host, it would
        // keep each round that uses dynamic from unloading, and the host would be replaced after every such round. A
        // round's own copy costs its JIT instead (about 0.2 s for CsvHelper's dynamic tests).
        if (assemblyName.Name == "Microsoft.CSharp" && File.Exists(FrameworkFile("Microsoft.CSharp"))) return LoadFromAssemblyPath(FrameworkFile("Microsoft.CSharp"));
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
        && File.Exists(FrameworkFile(n));

    private static string FrameworkFile(string name) => Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, name + ".dll");
}
