using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.TestHost;
using OCI.Workspace.Processes;

namespace OCI.Workspace.Testing;

/// <summary>
/// Runs a round's tests the fastest way that gives full results: xunit v2 assemblies in the kept-warm
/// <see cref="WarmTestHost"/>, Microsoft.Testing.Platform test applications by themselves (<see cref="TestApplicationRun"/>,
/// decided by <see cref="TestApplicationKind"/>), everything else on VSTest (NUnit and MSTest adapters, xunit v3 with
/// xunit.runner.visualstudio, other shared frameworks, filters the host does not understand, a host that crashed or is
/// not shipped) with <c>dotnet test</c>. One runner per shadow copy, since the
/// host's cwd and environment point into it; within it one host per runtime configuration, since a host runs under its
/// test project's (see <see cref="TestRuntimeConfig"/>). The outcome says which runner ran.
/// </summary>
/// <param name="repositoryRoot">The user's tree, whose <c>global.json</c> decides the test runner also for assemblies run outside the copy (the already-built ones); the copy's root when null.</param>
public sealed class TestRoundRunner(string shadowRoot, IsolationScope scope, bool useWarmHost, ILogger logger, string? repositoryRoot = null) : IDisposable
{
    private const string HostMissing = "the warm test host is not installed beside the server";
    private static int s_hostMissingReported;

    /// <summary>One warm host per runtime configuration (most solutions have one: every test project alike).</summary>
    private readonly Dictionary<string, (WarmTestHost Host, string ConfigPath)> _hosts = new(StringComparer.Ordinal);

    public async Task<TestRunOutcome> RunAsync(
        IReadOnlyList<string> testAssemblies,
        string workingDirectory,
        Func<string> freshResultsDirectory,
        string? filter,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        CancellationToken cancellationToken)
    {
        // Microsoft.Testing.Platform applications run themselves; the rest as before, and the two outcomes as one.
        var kinds = testAssemblies.Select(a => (Assembly: a, Kind: TestApplicationKind.Detect(a, repositoryRoot ?? shadowRoot))).ToList();
        var applications = kinds.Where(k => k.Kind.MicrosoftTestingPlatform).ToList();
        if (applications.Count == 0) return await RunVSTestAsync(testAssemblies, workingDirectory, freshResultsDirectory, filter, timeout, mapPath, cancellationToken).ConfigureAwait(false);
        logger.LogDebug("Running {Count} test application(s) on Microsoft.Testing.Platform: {Why}", applications.Count, applications[0].Kind.Why);
        var onPlatform = await TestApplicationRun.RunAsync(applications, freshResultsDirectory(), filter, timeout, mapPath, scope, cancellationToken, PlatformHost()).ConfigureAwait(false);
        var rest = kinds.Where(k => !k.Kind.MicrosoftTestingPlatform).Select(k => k.Assembly).ToList();
        if (rest.Count == 0 || onPlatform.TimedOut || onPlatform.OutputFloodCharacters is not null) return onPlatform;
        var left = timeout - onPlatform.Elapsed;
        var other = await RunVSTestAsync(rest, workingDirectory, freshResultsDirectory, filter, left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1), mapPath, cancellationToken).ConfigureAwait(false);
        return other with
        {
            Results = [.. onPlatform.Results, .. other.Results],
            Crashed = onPlatform.Crashed || other.Crashed,
            ExitCode = onPlatform.Crashed ? onPlatform.ExitCode : other.ExitCode,
            RunMessages = [.. onPlatform.RunMessages, .. other.RunMessages],
            Output = onPlatform.Output + other.Output,
            Elapsed = onPlatform.Elapsed + other.Elapsed,
            Survivors = [.. onPlatform.Survivors, .. other.Survivors],
            Runner = $"{onPlatform.Runner} + {other.Runner}",
        };
    }

    /// <summary>VSTest assemblies: the warm host for xunit v2, <c>dotnet test &lt;dll&gt;</c> for the rest.</summary>
    private async Task<TestRunOutcome> RunVSTestAsync(
        IReadOnlyList<string> testAssemblies,
        string workingDirectory,
        Func<string> freshResultsDirectory,
        string? filter,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        CancellationToken cancellationToken)
    {
        var why = WhyNotWarmHost(testAssemblies, filter, out var translated);
        var hostAssembly = WarmTestHost.FindHostAssembly();
        var groups = why is null ? GroupByRuntimeConfig(testAssemblies, hostAssembly!, out why) : null;
        if (groups is not null)
        {
            var outcome = await RunInHostsAsync(groups, hostAssembly!, workingDirectory, translated, timeout, mapPath, cancellationToken).ConfigureAwait(false);
            if (!outcome.Crashed) return outcome;
            // A crash (the code under test ended the process, or the host could not start): dotnet test reports it best.
            logger.LogInformation("The warm test host crashed; running the tests again with dotnet test. {Output}", outcome.Output);
            why = "the warm test host crashed";
        }
        if (why == HostMissing && Interlocked.Exchange(ref s_hostMissingReported, 1) == 0)
        {
            logger.LogInformation("The warm test host (oci-testhost/ beside the server, in {Folder}) is missing: every test round runs with dotnet test, about a second slower. Build or publish OCI.LanguageServer to get it.", AppContext.BaseDirectory);
        }
        logger.LogDebug("Running tests with dotnet test: {Reason}", why);
        var fallback = await DotnetTestRun.RunAsync(testAssemblies, workingDirectory, freshResultsDirectory(), filter, timeout, mapPath, scope, cancellationToken).ConfigureAwait(false);
        return fallback;
    }

    /// <summary>The round's assemblies by the runtime configuration each must run under (<see cref="TestRuntimeConfig"/>).</summary>
    private static List<(string Config, List<string> Assemblies)>? GroupByRuntimeConfig(IReadOnlyList<string> testAssemblies, string hostAssembly, out string? why)
    {
        why = null;
        var groups = new List<(string Config, List<string> Assemblies)>();
        foreach (var assembly in testAssemblies)
        {
            if (TestRuntimeConfig.Compose(assembly, hostAssembly) is not { } config)
            {
                why = $"{Path.GetFileName(assembly)} has an unreadable runtimeconfig.json";
                return null;
            }
            var index = groups.FindIndex(g => g.Config == config);
            if (index < 0) groups.Add((config, [assembly]));
            else groups[index].Assemblies.Add(assembly);
        }
        return groups;
    }

    /// <summary>
    /// How many warm hosts of one runtime configuration run a round's assemblies side by side: one per core, at most
    /// four. Why: a round's test assemblies are independent (<c>dotnet test</c> of a solution runs them side by side
    /// too), and a host runs its assemblies one after another; each host is its own process, so what a test assembly
    /// sets for the whole process (the current directory, AppContext's base directory) stays its own.
    /// </summary>
    private static int HostsPerConfiguration => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Runs each group in warm hosts of its configuration: its assemblies spread over up to
    /// <see cref="HostsPerConfiguration"/> hosts, all side by side, as one outcome. The same assembly goes to the same
    /// host round after round (its place in the group).
    /// </summary>
    private async Task<TestRunOutcome> RunInHostsAsync(
        List<(string Config, List<string> Assemblies)> groups,
        string hostAssembly,
        string workingDirectory,
        (IReadOnlyList<TestNameClause> Clauses, bool MatchAll) translated,
        TimeSpan timeout,
        Func<string, string?> mapPath,
        CancellationToken cancellationToken)
    {
        var slots = HostsPerConfiguration;
        var work = groups
            .SelectMany(g => Enumerable.Range(0, Math.Min(slots, g.Assemblies.Count))
                .Select(slot => (g.Config, Slot: slot, Assemblies: g.Assemblies.Where((_, i) => i % slots == slot).ToList())))
            .ToList();
        var outcomes = await Task.WhenAll(work.Select(async w =>
        {
            var host = await HostForAsync(w.Config, w.Slot, w.Assemblies[0], hostAssembly, cancellationToken).ConfigureAwait(false);
            var warm = host.IsRunning;
            var request = new TestHostRequest(w.Assemblies, workingDirectory, translated.Clauses, translated.MatchAll);
            var outcome = await host.RunAsync(request, timeout, mapPath, cancellationToken).ConfigureAwait(false);
            logger.LogDebug("Check timing: warm test host {Slot} ({State}) ran {Assemblies} in {ElapsedMs} ms: {Results} result(s)",
                w.Slot, warm ? "already running" : "started for this round", string.Join(", ", w.Assemblies.Select(Path.GetFileName)), (long)outcome.Elapsed.TotalMilliseconds, outcome.Results.Count);
            return outcome;
        })).ConfigureAwait(false);
        if (outcomes.Length == 1) return outcomes[0];
        var first = outcomes.FirstOrDefault(o => o.Crashed || o.TimedOut || o.OutputFloodCharacters is not null) ?? outcomes[0];
        return first with
        {
            Results = [.. outcomes.SelectMany(o => o.Results)],
            TimedOut = outcomes.Any(o => o.TimedOut),
            Crashed = outcomes.Any(o => o.Crashed),
            RunMessages = [.. outcomes.SelectMany(o => o.RunMessages)],
            Output = string.Concat(outcomes.Select(o => o.Output)),
            Elapsed = outcomes.Max(o => o.Elapsed),
            OutputFloodCharacters = outcomes.Select(o => o.OutputFloodCharacters).FirstOrDefault(f => f is not null),
            Survivors = [.. outcomes.SelectMany(o => o.Survivors)],
            Sandboxed = outcomes.All(o => o.Sandboxed),
        };
    }

    /// <summary>
    /// Starts, ahead of a round, the warm host that round's first assembly of each runtime configuration will run in
    /// (slot 0: a filtered round of one assembly runs there), and warms a host it starts up with that assembly (xunit
    /// compiled, no test run); nothing for assemblies the warm host does not run. Returns how many hosts are running
    /// for them.
    /// </summary>
    public async Task<int> PrestartAsync(IReadOnlyList<string> testAssemblies, CancellationToken cancellationToken)
    {
        var hosted = testAssemblies.Where(a => !TestApplicationKind.Detect(a, repositoryRoot ?? shadowRoot).MicrosoftTestingPlatform).ToList();
        if (hosted.Count == 0 || WhyNotWarmHost(hosted, null, out _) is not null) return 0;
        var hostAssembly = WarmTestHost.FindHostAssembly()!;
        if (GroupByRuntimeConfig(hosted, hostAssembly, out _) is not { } groups) return 0;
        await Task.WhenAll(groups.Select(async g =>
        {
            var host = await HostForAsync(g.Config, 0, g.Assemblies[0], hostAssembly, cancellationToken).ConfigureAwait(false);
            await host.EnsureStartedAsync(cancellationToken, [g.Assemblies[0]]).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return groups.Count;
    }

    /// <summary>Warm hosts whose process runs now (test support: a round readied ahead finds one).</summary>
    internal int RunningHosts
    {
        get { lock (_hosts) return _hosts.Values.Count(h => h.Host.IsRunning); }
    }

    /// <summary>Warm hosts created for test assemblies (test support: side by side means more than one).</summary>
    internal int WarmHosts
    {
        get { lock (_hosts) return _hosts.Count; }
    }

    /// <summary>The warm host of a runtime configuration's <paramref name="slot"/>, created (not started) on first use.</summary>
    private async Task<WarmTestHost> HostForAsync(string config, int slot, string firstAssembly, string hostAssembly, CancellationToken cancellationToken)
    {
        var key = slot == 0 ? config : $"{config}\n#{slot}";
        (WarmTestHost Host, string ConfigPath) entry;
        bool created;
        lock (_hosts)
        {
            created = !_hosts.TryGetValue(key, out entry);
            if (created)
            {
                var configPath = TestRuntimeConfig.WriteBeside(firstAssembly, config);
                _hosts[key] = entry = (new WarmTestHost(hostAssembly, shadowRoot, scope, configPath), configPath);
            }
        }
        if (!created && !File.Exists(entry.ConfigPath))
        {
            await File.WriteAllTextAsync(entry.ConfigPath, config, cancellationToken).ConfigureAwait(false); // a clean of the copy removed it; a restart reads it
        }
        return entry.Host;
    }

    /// <summary>Null when the warm host can run these assemblies with this filter; otherwise why not.</summary>
    public string? WhyNotWarmHost(IReadOnlyList<string> testAssemblies, string? filter, out (IReadOnlyList<TestNameClause> Clauses, bool MatchAll) translated)
    {
        translated = ([], false);
        if (!useWarmHost) return "the warm test host is turned off (verification.warmTestHost)";
        if (WarmTestHost.FindHostAssembly() is null) return HostMissing;
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

    /// <summary>
    /// The warm host that runs Microsoft.Testing.Platform applications as its children and speaks their server mode (its
    /// own runtime configuration: it loads no test code); null without the warm host.
    /// </summary>
    private WarmTestHost? PlatformHost()
    {
        if (!useWarmHost || WarmTestHost.FindHostAssembly() is not { } hostAssembly) return null;
        lock (_hosts) return _platformHost ??= new WarmTestHost(hostAssembly, shadowRoot, scope);
    }

    private WarmTestHost? _platformHost;

    public void Dispose()
    {
        foreach (var (host, _) in _hosts.Values) host.Dispose();
        _hosts.Clear();
        _platformHost?.Dispose();
        _platformHost = null;
    }
}
