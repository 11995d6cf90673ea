namespace OCI.LanguageServer.Tests;

/// <summary><c>oci/memoryReport</c> against the built server process: what a leak hunt (the branch-switch benchmark) reads.</summary>
public sealed class MemoryReportTests
{
    [Fact]
    public async Task The_report_gives_live_managed_bytes_after_a_full_collection_and_the_working_set()
    {
        await using var server = ServerProcess.Start("--stdio");
        await server.Client.InitializeAsync();

        var first = (await server.Client.RequestAsync("oci/memoryReport"))["result"]!;
        var second = (await server.Client.RequestAsync("oci/memoryReport"))["result"]!;

        var managed = (long)first["managedBytes"]!;
        var workingSet = (long)first["workingSetBytes"]!;
        Assert.InRange(managed, 1, workingSet); // live objects exist and the process holds at least that much
        Assert.True((long)first["heapSizeBytes"]! >= managed, first.ToJsonString());
        // Each report forces a full collection of its own.
        Assert.True((int)second["gen2Collections"]! > (int)first["gen2Collections"]!, second.ToJsonString());
    }
}
