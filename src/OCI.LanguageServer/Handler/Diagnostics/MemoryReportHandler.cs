using System.Runtime;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Diagnostics;

/// <summary>
/// <c>oci/memoryReport</c>: forces a full blocking compacting collection (the large object heap included), then reports
/// the live managed bytes and the process's working set. Growth across repeated work (branch switches) that survives
/// this collection is a leak; growth of the working set alone is the runtime keeping memory it may reuse.
/// </summary>
internal sealed class MemoryReportHandler : IRequestHandler<MemoryReportHandler, NoParams, MemoryReport>
{
    public static string Method => OciMethods.MemoryReport;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public static NoParams WhenMissing => NoParams.Value;

    public Task<MemoryReport> HandleAsync(NoParams parameters, CancellationToken cancellationToken) => Task.Run(() =>
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new MemoryReport(GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, process.WorkingSet64, GC.CollectionCount(2));
    }, cancellationToken);
}
