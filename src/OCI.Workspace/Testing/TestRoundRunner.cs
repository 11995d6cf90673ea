using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.TestHost;
using OCI.Workspace.Processes;

namespace OCI.Workspace.Testing;

/// <summary>
/// Runs a round's tests the fastest way that gives full results: xunit v2 assemblies in the kept-warm
/// <see cref="WarmTestHost"/>, everything else (NUnit, MSTest, xunit v3, other shared frameworks, filters the host does
/// not understand, a host that crashed or is not shipped) with <c>dotnet test</c>. One runner per shadow copy, since the
/// host's cwd and environment point into it. The outcome says which runner ran.
/// </summary>
public sealed class TestRoundRunner(string shadowRoot, IsolationScope scope, bool useWarmHost, ILogger logger) : IDisposable
{
    private WarmTestHost? _host;

    public async Task<TestRunOutcome> RunAsync(
        IReadOnlyList<string> testAssemblies,
        string workingDirectory,
        Func<string> freshResultsDirectory,
        string? filter,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        CancellationToken cancellationToken)
    {
        var why = WhyNotWarmHost(testAssemblies, filter, out var translated);
        if (why is null)
        {
            _host ??= new WarmTestHost(WarmTestHost.FindHostAssembly()!, shadowRoot, scope);
            var request = new TestHostRequest(testAssemblies, workingDirectory, translated.Clauses, translated.MatchAll);
            var outcome = await _host.RunAsync(request, timeout, mapPath, cancellationToken).ConfigureAwait(false);
            if (!outcome.Crashed) return outcome;
            // A crash (the code under test ended the process, or the host could not start): dotnet test reports it best.
            logger.LogInformation("The warm test host crashed; running the tests again with dotnet test. {Output}", outcome.Output);
            why = "the warm test host crashed";
        }
        logger.LogDebug("Running tests with dotnet test: {Reason}", why);
        var fallback = await DotnetTestRun.RunAsync(testAssemblies, workingDirectory, freshResultsDirectory(), filter, timeout, mapPath, scope, cancellationToken).ConfigureAwait(false);
        return fallback;
    }

    /// <summary>Null when the warm host can run these assemblies with this filter; otherwise why not.</summary>
    public string? WhyNotWarmHost(IReadOnlyList<string> testAssemblies, string? filter, out (IReadOnlyList<TestNameClause> Clauses, bool MatchAll) translated)
    {
        translated = ([], false);
        if (!useWarmHost) return "the warm test host is turned off (verification.warmTestHost)";
        if (WarmTestHost.FindHostAssembly() is null) return "the warm test host is not installed beside the server";
        if (TestFilterTranslation.Translate(filter) is not { } t) return $"the filter '{filter}' needs dotnet test";
        translated = t;
        foreach (var assembly in testAssemblies)
        {
            if (IsXunitV2OnThisRuntime(assembly) is { } reason) return reason;
        }
        return null;
    }

    /// <summary>Null when <paramref name="assembly"/> is an xunit v2 test assembly for Microsoft.NETCore.App this runtime can run.</summary>
    internal static string? IsXunitV2OnThisRuntime(string assembly)
    {
        var folder = Path.GetDirectoryName(assembly)!;
        var name = Path.GetFileName(assembly);
        if (!File.Exists(Path.Combine(folder, "xunit.execution.dotnet.dll")) || File.Exists(Path.Combine(folder, "xunit.v3.core.dll")))
        {
            return $"{name} is not an xunit v2 test assembly";
        }
        var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig)) return $"{name} has no runtimeconfig.json";
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            var options = document.RootElement.GetProperty("runtimeOptions");
            var frameworks = new List<JsonElement>();
            if (options.TryGetProperty("framework", out var single)) frameworks.Add(single);
            if (options.TryGetProperty("frameworks", out var many)) frameworks.AddRange(many.EnumerateArray());
            foreach (var framework in frameworks)
            {
                var frameworkName = framework.GetProperty("name").GetString();
                var version = Version.TryParse(framework.GetProperty("version").GetString(), out var v) ? v : null;
                if (frameworkName != "Microsoft.NETCore.App") return $"{name} needs the {frameworkName} shared framework";
                if (version is null || version.Major > Environment.Version.Major) return $"{name} needs .NET {version}";
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"{name} has an unreadable runtimeconfig.json";
        }
    }

    public void Dispose() => _host?.Dispose();
}
