using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace OCI.Workspace.Loading;

/// <summary>
/// What every first load needs whatever the folder (MSBuild's registration, Roslyn's workspace services, the compiler's
/// JIT), done once per process on a thread of its own, so that the load that follows <c>initialize</c> finds it done.
/// </summary>
internal static class WorkspacePrewarm
{
    /// <summary>
    /// Prepares the process for the first load, in the background and once: registers MSBuild, composes Roslyn's
    /// workspace services (MEF, most of a second cold) and JIT-compiles the compiler, so a server calls this at start and
    /// the load that follows <c>initialize</c> does not pay for them.
    /// </summary>
    public static void Start(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<MSBuildWorkspaceHost>();
        lock (PrewarmGate)
        {
            if (_prewarmed) return;
            _prewarmed = true;
        }
        // A thread of its own: seconds of CPU-bound work on one of a 2-core machine's two pool threads would hold up the
        // server's own requests until the pool grows.
        _ = Task.Factory.StartNew(() =>
        {
            try
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                MSBuildRegistration.EnsureRegistered();
                ComposeWorkspaceServices();
                logger.LogDebug("Load timing: {Phase} after {ElapsedMs} ms", "workspace services composed (prewarm)", watch.ElapsedMilliseconds);
                CompilerWarmUp.Run(logger);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Prewarming the workspace layer failed (the first load does it instead)");
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static readonly object PrewarmGate = new();
    private static bool _prewarmed;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ComposeWorkspaceServices()
    {
        using var workspace = new AdhocWorkspace(Microsoft.CodeAnalysis.Host.Mef.MSBuildMefHostServices.DefaultServices);
    }
}
