using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace OCI.Workspace.CodeFixes;

/// <summary>
/// The C# code fix providers that ship in Microsoft.CodeAnalysis.Features and Microsoft.CodeAnalysis.CSharp.Features
/// (add using, implement interface, generate member, add cast, …), found by their <see cref="ExportCodeFixProviderAttribute"/>.
/// Why reflection rather than a MEF container: the providers we want have parameterless importing constructors, the
/// services they call come from the document's own workspace (whose MEF host already includes the Features
/// assemblies), and a second composition of all of Roslyn would cost seconds at startup for nothing.
/// Discovery runs once per process; providers are stateless and shared.
/// </summary>
public static class CodeFixProviderCatalog
{
    private static readonly string[] FeatureAssemblies = ["Microsoft.CodeAnalysis.Features", "Microsoft.CodeAnalysis.CSharp.Features"];

    private static readonly Lazy<ImmutableArray<CodeFixProvider>> s_providers = new(Discover, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<ImmutableDictionary<string, ImmutableArray<CodeFixProvider>>> s_byDiagnosticId = new(Index, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every C# provider that could be created.</summary>
    public static ImmutableArray<CodeFixProvider> All => s_providers.Value;

    /// <summary>The providers that declare they fix <paramref name="diagnosticId"/>.</summary>
    public static ImmutableArray<CodeFixProvider> For(string diagnosticId) =>
        s_byDiagnosticId.Value.TryGetValue(diagnosticId, out var providers) ? providers : [];

    /// <summary>True when at least one provider fixes <paramref name="diagnosticId"/> (cheap after the first call).</summary>
    public static bool CanFix(string diagnosticId) => s_byDiagnosticId.Value.ContainsKey(diagnosticId);

    private static ImmutableArray<CodeFixProvider> Discover()
    {
        var providers = ImmutableArray.CreateBuilder<CodeFixProvider>();
        foreach (var name in FeatureAssemblies)
        {
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                continue;
            }

            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }

            foreach (var type in types)
            {
                if (type is null || type.IsAbstract || !typeof(CodeFixProvider).IsAssignableFrom(type)) continue;
                var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
                if (export is null || !export.Languages.Contains(LanguageNames.CSharp)) continue;
                var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes);
                if (constructor is null) continue;
                try
                {
                    providers.Add((CodeFixProvider)constructor.Invoke(null));
                }
                catch (TargetInvocationException)
                {
                    // A provider that cannot be built outside Visual Studio's composition is simply not offered.
                }
            }
        }
        return providers.ToImmutable();
    }

    private static ImmutableDictionary<string, ImmutableArray<CodeFixProvider>> Index()
    {
        var index = new Dictionary<string, ImmutableArray<CodeFixProvider>.Builder>(StringComparer.Ordinal);
        foreach (var provider in All)
        {
            ImmutableArray<string> ids;
            try
            {
                ids = provider.FixableDiagnosticIds;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                continue;
            }
            foreach (var id in ids)
            {
                if (!index.TryGetValue(id, out var list)) index[id] = list = ImmutableArray.CreateBuilder<CodeFixProvider>();
                list.Add(provider);
            }
        }
        return index.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutable(), StringComparer.Ordinal);
    }
}
