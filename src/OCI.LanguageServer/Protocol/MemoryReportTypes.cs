namespace OCI.LanguageServer.Protocol;

/// <summary>
/// Result of the request <c>oci/memoryReport</c>: the server's memory right after a forced full, compacting garbage
/// collection — what it really holds (managed heap) beside what the OS counts for it (working set). For benchmarks and
/// for a user who suspects a leak; never needed by an editor.
/// </summary>
public sealed record MemoryReport(long ManagedBytes, long HeapSizeBytes, long WorkingSetBytes, int Gen2Collections);
