using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Suggestions;
using OCI.Engine.Tests.Support;
using static OCI.Engine.Tests.RoslynCodeFixesTests;

namespace OCI.Engine.Tests;

/// <summary>The warm-up of Roslyn's name-searching providers gives way to requests and runs once none holds it.</summary>
public sealed class CodeFixWarmupTests
{
    [Fact]
    public async Task The_providers_warm_up_waits_while_a_request_holds_it_and_runs_once_released()
    {
        await using var host = Fixture.CreateHost();
        var warmup = new CodeFixWarmup(NullLogger.Instance);

        var first = warmup.Hold();
        var second = warmup.Hold();
        warmup.WarmProviders(Document(host, "Calculator.cs"));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(warmup.ProvidersWarm); // never started while held
        first.Dispose();
        first.Dispose(); // a release counts once
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(warmup.ProvidersWarm); // the other request still holds it
        second.Dispose();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!warmup.ProvidersWarm && waited.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(100);
        Assert.True(warmup.ProvidersWarm);
    }
}
