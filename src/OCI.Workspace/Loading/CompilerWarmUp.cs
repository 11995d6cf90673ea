using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Logging;

namespace OCI.Workspace.Loading;

/// <summary>
/// Binds a small C# program once per process while MSBuildWorkspace loads the user's projects. The Roslyn assemblies
/// are IL only, so the first semantic model of a process pays for JIT-compiling the parser, binder and diagnostics
/// paths; the design-time build runs in another process (the build host) and leaves this one idle meanwhile, so that
/// cost is paid there instead of after the load, before the first code action.
/// </summary>
internal static class CompilerWarmUp
{
    private static readonly object Gate = new();
    private static bool _claimed;

    private const string Program = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace WarmUp;

        public interface IShape { double Area { get; } }

        public sealed record Circle(double Radius) : IShape
        {
            public double Area => Math.PI * Radius * Radius;
        }

        public static class Shapes
        {
            public static async Task<Dictionary<string, double>> AreasAsync(IEnumerable<IShape> shapes, CultureInfo culture)
            {
                await Task.Yield();
                var areas = new Dictionary<string, double>();
                foreach (var (shape, index) in shapes.Select((s, i) => (s, i)).Where(p => p.s.Area > 0))
                {
                    areas[$"{index}: {shape}"] = shape switch { Circle c => c.Area, _ => Missing(shape) };
                }
                return areas;
            }
        }
        """;

    /// <summary>Starts the warm-up once per process on a thread of its own (not a pool thread: it is seconds of CPU); it never fails the load.</summary>
    public static void Start(ILogger logger)
    {
        if (!Claim()) return;
        _ = Task.Factory.StartNew(() => WarmUp(logger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Runs the warm-up on the calling thread, unless it ran or runs already.</summary>
    public static void Run(ILogger logger)
    {
        if (Claim()) WarmUp(logger);
    }

    private static bool Claim()
    {
        lock (Gate)
        {
            if (_claimed) return false;
            _claimed = true;
            return true;
        }
    }

    private static void WarmUp(ILogger logger)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            var tree = CSharpSyntaxTree.ParseText(Program);
            var compilation = CSharpCompilation.Create("OciWarmUp", [tree], References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            // The program has errors on purpose (CS0246 CultureInfo, CS0103 Missing): the paths a broken file takes.
            var errors = compilation.GetSemanticModel(tree).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            logger.LogDebug("Load timing: compiler warm-up ({Errors} errors, as intended) in {ElapsedMs} ms", errors, watch.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "The compiler warm-up failed (the first diagnostics will be slower)");
        }
    }

    /// <summary>A few of the running runtime's own assemblies: enough for the program to bind.</summary>
    private static List<MetadataReference> References()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "System.Private.CoreLib.dll", "System.Runtime.dll", "System.Linq.dll", "System.Collections.dll" };
        var paths = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. paths.Where(p => names.Contains(Path.GetFileName(p))).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
