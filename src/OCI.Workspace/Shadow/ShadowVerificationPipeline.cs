using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Building;
using OCI.Workspace.KnownFailures;
using OCI.Workspace.Compilation;
using OCI.Workspace.Files;
using OCI.Workspace.Processes;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The real stages of a check, in a warm <see cref="ShadowWorkspace"/>: a fast round that emits the candidate's
/// in-memory compilation (only the projects that differ from what the shadow's outputs were built from:
/// <see cref="BuiltProjects"/>) and runs the tests on it, then MSBuild and the test run that confirm it (or, without a
/// fast round, build and test directly); the test stage is <see cref="TestRound"/>, the confirmation of an offered
/// candidate in the background is <see cref="BackgroundConfirmations"/>. One check at a time
/// (<see cref="ShadowGate"/>: the one the user waits for first). The shadow copy and the counts of the work done live here.
/// </summary>
internal sealed class ShadowVerificationPipeline(
    string userRoot, VerificationSettings settings, ProcessSandbox sandbox, KnownTestOutcomes knownOutcomes, BuiltProjects built, Func<string, string?> readText,
    Func<Task> knownOutcomesMeasured, ILogger logger) : IAsyncDisposable
{
    private readonly BuiltProjects _built = built;
    private readonly ProcessSandbox _sandbox = sandbox;
    private IsolationScope? _scope;
    private readonly string _userRoot = userRoot;
    private readonly VerificationSettings _settings = settings;
    private readonly Func<string, string?> _readText = readText;
    private readonly ILogger _logger = logger;
    private readonly ShadowGate _gate = new();
    private readonly BackgroundConfirmations _confirmations = new(knownOutcomesMeasured, logger);
    private readonly TestRound _testRound = new(userRoot, settings, knownOutcomes, logger);
    private readonly CancellationTokenSource _lifetime = new();
    private ShadowWorkspace? _shadow;
    private TestRoundRunner? _testRunner;
    private bool _shadowBuilt;
    private bool _seedTried;
    private int _buildRuns;
    private int _testRuns;
    private int _interrupted;
    private IReadOnlyList<string> _lastEmitted = [];

    /// <summary>MSBuild builds run in the shadow copy (tests count the work a check did).</summary>
    public int BuildRuns => Volatile.Read(ref _buildRuns);

    /// <summary>Test runs (warm host or dotnet test) started.</summary>
    public int TestRuns => Volatile.Read(ref _testRuns) + _testRound.Runs;

    /// <summary>Checks that gave the shadow copy to one of higher priority and started over (test support).</summary>
    public int InterruptedChecks => Volatile.Read(ref _interrupted);

    /// <summary>Warm test hosts running now (test support).</summary>
    public int RunningTestHosts => _testRunner?.RunningHosts ?? 0;

    /// <summary>The projects the last fast round emitted (tests check what was compiled again).</summary>
    public IReadOnlyList<string> LastEmitted => Volatile.Read(ref _lastEmitted);

    /// <summary>
    /// Builds and tests <paramref name="candidate"/> (already compiled in memory: <paramref name="compiled"/>) in the
    /// shadow copy brought to <paramref name="overlays"/> plus the candidate's changes. One check at a time; background
    /// work (<see cref="BackgroundPriority.IsBackground"/>: fix-its) gives way to a check someone waits for and starts over
    /// after it. With <see cref="VerificationRequest.ConfirmLater"/> and no impacted tests (no test references the change)
    /// the compiled candidate is offered at once: the real build and whole suite follow as its confirmation.
    /// </summary>
    public async Task<VerificationResult> BuildAndTestAsync(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.ConfirmLater && request.TestFilter is null)
        {
            progress?.Report("compiles; no test reaches the change: the real build and all tests confirm it in the background");
            return compiled with
            {
                Message = "compiled; no test reaches the change",
                PendingConfirmation = ConfirmLater(request, candidate, overlays, compiled, compiled with { Message = "compiled; no test reaches the change" }),
            };
        }
        var priority = ShadowGate.CurrentPriority();
        return await _gate.RunInTurnAsync(
            priority,
            token => BuildAndTestCoreAsync(request, candidate, overlays, compiled, progress, allowFastRound: true, neverExcused: null, token),
            interrupted: () =>
            {
                Interlocked.Increment(ref _interrupted);
                _logger.LogDebug("A background check gave the shadow copy to a check someone waits for; it starts over afterwards");
                progress?.Report("waiting: a check you asked for goes first");
            },
            waited: wait =>
            {
                if (wait.TotalMilliseconds > 50) _logger.LogDebug("Check timing: waited {ElapsedMs} ms for the shadow copy ({Priority})", (long)wait.TotalMilliseconds, priority);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds speculative work (the known outcomes' run, the warming build) back until disposed: see <see cref="ShadowGate.HoldSpeculativeWork"/>.</summary>
    public IDisposable HoldSpeculativeWork() => _gate.HoldSpeculativeWork();

    /// <summary>The confirmation a result offered on its in-memory build names, or null when it is not one of this pipeline's.</summary>
    public Task<VerificationResult>? FindConfirmation(ConfirmationId id) => _confirmations.Find(id);

    /// <summary>Starts the background confirmation of <paramref name="offered"/> (the real build, every test) and names it.</summary>
    private ConfirmationId ConfirmLater(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled, VerificationResult offered) =>
        _confirmations.Start(request, compiled, offered, _gate,
            (confirming, neverExcused, token) => BuildAndTestCoreAsync(confirming, candidate, overlays, compiled, null, allowFastRound: false, neverExcused, token));

    /// <summary>Test support: holds the shadow copy as a foreground check would, until disposed.</summary>
    internal Task<ShadowGate.Lease> HoldAsync(CancellationToken cancellationToken) => _gate.EnterAsync(background: false, cancellationToken);

    private async Task<VerificationResult> BuildAndTestCoreAsync(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled,
        IProgress<string>? progress, bool allowFastRound, IReadOnlySet<string>? neverExcused, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>(overlays, StringComparer.Ordinal);
        foreach (var change in request.Changes) texts[Path.GetFullPath(change.Path)] = change.NewText;

        if (_shadow is null) progress?.Report("copying the workspace to its shadow copy…");
        var shadow = EnsureShadow();
        var sync = shadow.Synchronize(texts, cancellationToken);
        _logger.LogDebug("Shadow sync wrote {Written} and deleted {Deleted} file(s)", sync.WrittenFiles.Count, sync.DeletedFiles.Count);

        var forked = candidate.Solution;
        var changedProjects = candidate.ChangedProjects;
        var runTests = request.RunTests && _settings.RunTests;
        // What the tests of this check run on besides their binaries: every file of the tree and the editor's texts.
        var sourceState = runTests ? ShadowWorkspace.InputFingerprint(_userRoot, texts) : null;
        var affected = changedProjects.Count == 0 ? forked.ProjectIds.ToHashSet() : TestProjectDiscovery.Affected(forked, changedProjects);
        var tops = TestProjectDiscovery.BuildTops(forked, affected);
        var buildTargets = tops.Select(p => shadow.ToShadowPath(p.FilePath!)).ToList();

        var testProjects = TestProjectDiscovery.Find(forked, changedProjects);

        // Time the fast round spent before a passing candidate is confirmed: counted into the result's build and test times.
        var fastBuildTime = TimeSpan.Zero;
        var fastTestTime = TimeSpan.Zero;
        var fastTestsPassed = false;
        var fastImpacted = 0;
        IReadOnlyList<string> fastReaching = [];
        IReadOnlyList<TestRunRecord> fastRuns = [];

        // Fast round: emit from the warm compilations instead of running MSBuild, only the projects whose outputs differ
        // from what they would be now (BuiltProjects), and the copies of their assemblies in every affected output folder.
        // Failing tests end the round here; a candidate whose tests pass is confirmed below by the real build and test run
        // (or, with ConfirmLater, offered after its impacted tests and confirmed in the background).
        // Only what the test projects load: a library's other target frameworks (netstandard2.0 beside net8.0) are checked
        // by the compile and built by the confirmation, never loaded by a test, so the fast round does not emit them.
        var closure = TestClosure(forked, testProjects);
        // A shadow copy MSBuild has not built yet (the first check after opening a repository) starts from the outputs
        // the user built: the in-memory emit then replaces every assembly of the closure, and no one waits for MSBuild.
        var seeded = allowFastRound && runTests && _settings.FastTestRounds && testProjects.Count > 0
            && await SeedOnceAsync(forked, closure, texts.Keys, shadow, cancellationToken).ConfigureAwait(false);
        if (allowFastRound && runTests && _settings.FastTestRounds && _shadowBuilt && (!sync.ProjectFilesChanged || seeded) && testProjects.Count > 0)
        {
            var emitWatch = Stopwatch.StartNew();
            await _built.ReconfirmAsync(async (project, outputs, token) =>
            {
                var whyNot = await ShadowOutputs.WhyNotStillBuiltAsync(project, outputs, shadow, token).ConfigureAwait(false);
                _logger.LogDebug("{Project}'s outputs changed since they were recorded; {Verdict}", project.Name, whyNot is null ? "they are a build of the same sources: recorded again" : "emitted again: " + whyNot);
                return whyNot is null;
            }, cancellationToken).ConfigureAwait(false);
            var comparison = await _built.CompareWithOutputsAsync(forked, closure, cancellationToken).ConfigureAwait(false);
            var order = forked.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken)
                .Where(id => closure.Contains(id) && comparison[id].Difference != BuiltDifference.Same).ToList();
            var emitProblem = order.Select(forked.GetProject).FirstOrDefault(p => p is null || !InMemoryEmitter.CanEmit(p, _userRoot)) is { } cannot
                ? $"{cannot.Name} cannot be emitted in memory (resources)"
                : null;
            if (emitProblem is null && order.Count > 0)
            {
                progress?.Report("building in memory…");
                _logger.LogDebug("In-memory build of {Projects}", string.Join(", ", order.Select(id => $"{forked.GetProject(id)?.Name} ({comparison[id].Difference})")));
                var emitted = order.Select(id => forked.GetProject(id)!).ToList();
                emitProblem = await InMemoryEmitter.EmitAsync(forked, order, closure, shadow, concurrent: !BackgroundPriority.IsBackground, cancellationToken).ConfigureAwait(false);
                if (emitProblem is null) await _built.RecordAsync(emitted, p => ShadowOutputs.Copies(forked, p, shadow), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _lastEmitted, [.. emitted.Select(p => p.Name)]);
            }
            else
            {
                Volatile.Write(ref _lastEmitted, []);
            }
            if (emitProblem is not null)
            {
                _logger.LogInformation("In-memory build not possible, using MSBuild: {Problem}", emitProblem);
                progress?.Report("in-memory build not possible: " + emitProblem);
            }
            else
            {
                emitWatch.Stop();
                _logger.LogDebug("Check timing: in-memory build of {Count} project(s) in {ElapsedMs} ms", order.Count, emitWatch.ElapsedMilliseconds);
                var offerAfterImpacted = request.ConfirmLater && request.TestFilter is not null;
                var fast = await _testRound.RunAsync(_testRunner!, request, request.TestFilter, compiled, compiled.Diagnostics, testProjects, shadow, emitWatch.Elapsed, onInMemoryBuild: true, progress,
                    thenWholeSuite: !offerAfterImpacted && !request.OnlyTheFilter, neverExcused, sourceState, cancellationToken).ConfigureAwait(false);
                _logger.LogDebug("Check timing: fast round tests ({Filter}) in {ElapsedMs} ms: {Status} ({Runners})", request.TestFilter is null ? "all" : "filtered", (long)fast.TestTime.TotalMilliseconds, fast.Status, string.Join(", ", fast.TestRuns.Select(r => r.Runner)));
                if (request.OnlyTheFilter) return fast with { Message = fast.Message ?? "built in memory (fast round)" };
                // Failures the user already had do not stop the round: the real build and run decide as for a pass.
                if (fast.Status != VerificationStatus.Passed && !fast.OnlyKnownFailuresFail) return fast with { Message = fast.Message ?? "built in memory (fast round)" };
                fastBuildTime = emitWatch.Elapsed;
                fastTestTime = fast.TestTime;
                fastTestsPassed = true;
                fastImpacted = fast.ImpactedTests;
                fastReaching = fast.ReachingTests;
                fastRuns = fast.TestRuns;
                if (request.ConfirmLater && (offerAfterImpacted || fast.WholeSuite))
                {
                    // Offered now: its impacted tests pass on the in-memory build; MSBuild and the whole suite confirm afterwards.
                    if (order.Count > 0) shadow.TouchSources(request.Changes.Select(c => c.Path));
                    progress?.Report($"{fast.ImpactedTests} impacted test(s) pass on the in-memory build; the real build and all tests confirm it in the background");
                    return fast with { PendingConfirmation = ConfirmLater(request, candidate, overlays, compiled, fast) };
                }
                progress?.Report("tests pass; confirming with a real build…");
            }
            // Outputs now come from the emitter: let MSBuild see the sources as newer.
            if (order.Count > 0) shadow.TouchSources(request.Changes.Select(c => c.Path));
        }

        progress?.Report(shadow.NeedsRestore ? "restoring and building…" : "building…");
        Interlocked.Increment(ref _buildRuns);
        var build = await DotnetBuild.BuildAsync(
            buildTargets, shadow.Root, shadow.NeedsRestore, TimeSpan.FromSeconds(_settings.BuildTimeoutSeconds),
            p => shadow.ToUserPath(p) ?? p, _scope!, cancellationToken).ConfigureAwait(false);
        if (build.Succeeded)
        {
            shadow.NeedsRestore = false;
            _shadowBuilt = true;
            await _built.RecordAsync(BuiltProjects.WithDependencies(forked, tops.Select(p => p.Id)).Select(forked.GetProject).OfType<Project>(), p => ShadowOutputs.Copies(forked, p, shadow), cancellationToken).ConfigureAwait(false);
        }
        var buildErrors = build.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error)
            .Select(d => BuildOutputParser.WithSourceLine(d, texts, _readText))
            .ToList();
        var diagnostics = compiled.Diagnostics.Concat(buildErrors).ToList();
        if (build.TimedOut)
        {
            progress?.Report("build timed out");
            return compiled with
            {
                Status = VerificationStatus.TimedOut, Diagnostics = diagnostics,
                Message = $"the build did not finish within {_settings.BuildTimeoutSeconds} s and was stopped",
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000), BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime, TestRuns = fastRuns,
            };
        }
        if (!build.Succeeded)
        {
            var compilerErrors = buildErrors.Any(BuildOutputParser.IsCompilerDiagnostic);
            progress?.Report($"build failed: {buildErrors.Count} error(s)");
            if (buildErrors.Count == 0) _logger.LogWarning("The build in the shadow copy failed without a diagnostic line: {Output}", Feedback.Truncation.HeadAndTail(build.Output, 3000));
            return compiled with
            {
                Status = compilerErrors ? VerificationStatus.CompileErrors : VerificationStatus.BuildSystemError,
                Diagnostics = diagnostics,
                Message = buildErrors.Count == 0 ? BuildFailure.MessageWithoutDiagnostics : BuildFailure.Message,
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000),
                BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime, TestRuns = fastRuns,
            };
        }
        if (!runTests) return compiled with { Diagnostics = diagnostics, BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime, RealBuild = true, TestRuns = fastRuns };

        // Confirming a fast round whose relevant tests and then all tests passed: all tests once on MSBuild's output (the
        // relevant ones are among them; running them first again would only repeat what the fast round already said).
        var confirmFilter = fastTestsPassed ? null : request.TestFilter;
        var tested = await _testRound.RunAsync(_testRunner!, request, confirmFilter, compiled, diagnostics, testProjects, shadow, fastBuildTime + build.Elapsed, onInMemoryBuild: false, progress,
            thenWholeSuite: !request.OnlyTheFilter, neverExcused, sourceState, cancellationToken).ConfigureAwait(false);
        return tested with
        {
            TestTime = fastTestTime + tested.TestTime, RealBuild = true, TestRuns = [.. fastRuns, .. tested.TestRuns],
            ImpactedTests = fastTestsPassed ? fastImpacted : tested.ImpactedTests,
            ReachingTests = fastTestsPassed ? fastReaching : tested.ReachingTests,
        };
    }

    /// <summary>
    /// A shadow copy MSBuild has not built yet (the first check after opening a repository) starts from the outputs the
    /// user built: the in-memory emit then replaces every assembly of the closure, and no one waits for MSBuild. Tried
    /// once; true when this call seeded the copy.
    /// </summary>
    private async Task<bool> SeedOnceAsync(Solution solution, IReadOnlySet<ProjectId> closure, IEnumerable<string> changedPaths, ShadowWorkspace shadow, CancellationToken cancellationToken)
    {
        if (_shadowBuilt || _seedTried) return false;
        _seedTried = true;
        var seeded = _shadowBuilt = ShadowOutputs.SeedFromUser(solution, closure, shadow, _userRoot, _logger, cancellationToken);
        // Outputs the user built are the build of the sources their PDBs name (on disk, or HEAD's for a file changed
        // since): recorded so, a project the check leaves as built is not emitted again (the typo fixed back to the
        // saved text emits nothing).
        if (seeded)
        {
            var (asBuilt, whyNot) = await UserBuildState.ReadAsync(solution, closure, changedPaths, _userRoot, UserBuildState.FromHead, cancellationToken).ConfigureAwait(false);
            if (asBuilt is not null) await _built.RecordAsync(closure.Select(asBuilt.GetProject).OfType<Project>(), p => ShadowOutputs.Copies(asBuilt, p, shadow), cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("The seeded outputs {Are}", asBuilt is not null ? "are the build of the sources their PDBs name: recorded as built" : "are emitted again: " + whyNot);
        }
        return seeded;
    }

    /// <summary>
    /// Readies the first check's test round while the request that will need it is still searching and compiling: the
    /// shadow copy written and seeded from the user's outputs, and the warm test host of each runtime configuration
    /// started on them. After opening a repository that was 1.5 s after the candidate compiled and its reaching tests
    /// were found (Superpower), all of it waiting. Takes the shadow copy at the caller's priority, in turn like a check;
    /// does nothing once the copy has outputs and its hosts run. Best effort: a failure is logged and the check does it.
    /// </summary>
    public async Task PrepareAsync(Solution solution, IReadOnlyDictionary<string, string> overlays, CancellationToken cancellationToken)
    {
        if (!_settings.RunTests || !_settings.FastTestRounds) return;
        if (_shadowBuilt && _testRunner is { RunningHosts: > 0 }) return; // readied already: no turn at the gate for nothing
        var testProjects = TestProjectDiscovery.Find(solution, []);
        if (testProjects.Count == 0) return;
        var watch = Stopwatch.StartNew();
        try
        {
            ShadowWorkspace shadow;
            IReadOnlyList<string> assemblies;
            using (await _gate.EnterAsync(ShadowGate.CurrentPriority(), cancellationToken).ConfigureAwait(false))
            {
                // Once begun it finishes, though the request ends: seeding is tried once per copy, and a typed character
                // cancels a fix-it's request.
                shadow = EnsureShadow();
                if (!_shadowBuilt && !_seedTried)
                {
                    var sync = shadow.Synchronize(overlays, CancellationToken.None);
                    await SeedOnceAsync(solution, TestClosure(solution, testProjects), overlays.Keys, shadow, CancellationToken.None).ConfigureAwait(false);
                    _logger.LogDebug("Shadow sync wrote {Written} and deleted {Deleted} file(s) ahead of the first check", sync.WrittenFiles.Count, sync.DeletedFiles.Count);
                }
                if (!_shadowBuilt) return; // nothing built to start a host on: the check builds first
                assemblies = _testRound.AssembliesOf(testProjects, shadow);
            }
            // The hosts start outside the gate: the check syncs and emits meanwhile, and its round waits for its host. Not
            // cancelled with the request (the next one wants them too), only with the pipeline: a host started after its
            // disposal would outlive it.
            var hosts = await _testRunner!.PrestartAsync(assemblies, _lifetime.Token).ConfigureAwait(false);
            _logger.LogDebug("Check timing: first test round prepared in {ElapsedMs} ms ({Hosts} warm test host(s) running)", watch.ElapsedMilliseconds, hosts);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            _logger.LogDebug(e, "The first test round was not prepared ahead; the check prepares it");
        }
    }

    /// <summary>The test projects (one per path: the framework a round runs) and every project they depend on.</summary>
    private static IReadOnlySet<ProjectId> TestClosure(Solution solution, IReadOnlyList<Project> testProjects)
    {
        var testedPaths = testProjects.Select(p => p.FilePath).ToHashSet(StringComparer.Ordinal);
        return BuiltProjects.WithDependencies(solution, solution.Projects.Where(p => testedPaths.Contains(p.FilePath)).Select(p => p.Id));
    }

    /// <summary>The shadow copy, its isolation scope and its test runner, made on first use.</summary>
    private ShadowWorkspace EnsureShadow()
    {
        if (_shadow is null)
        {
            _shadow = ShadowWorkspace.Create(_userRoot, _settings.ShadowRoot);
            // Every process that runs generated code for this copy: write only the container, never see the user's tree.
            _scope = IsolationScope.ForShadow(_sandbox, _shadow.Container, _shadow.HomeDirectory, _shadow.TempDirectory, _userRoot);
            _testRunner = new TestRoundRunner(_shadow.Root, _scope, _settings.WarmTestHost, _logger, _userRoot);
        }
        return _shadow;
    }

    /// <summary>
    /// Runs the whole suite of test assemblies the user already built, with no build: each one's output folder is copied
    /// into the shadow container (<c>built/</c>, beside the copy of the tree) and run there by the same runner, sandboxed,
    /// never in the user's tree. One check at a time, like any other.
    /// </summary>
    public async Task<TestRunOutcome> RunBuiltTestsAsync(IReadOnlyList<string> userAssemblies, CancellationToken cancellationToken)
    {
        // Background work (the known outcomes after load): a check someone waits for takes the shadow copy first, and
        // this run starts over after it.
        return await _gate.RunInTurnAsync(
            ShadowGate.CurrentPriority(),
            token => RunBuiltTestsCoreAsync(userAssemblies, token),
            interrupted: () => _logger.LogDebug("The run of the built test assemblies gave the shadow copy to a check someone waits for; it starts over afterwards"),
            waited: null,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<TestRunOutcome> RunBuiltTestsCoreAsync(IReadOnlyList<string> userAssemblies, CancellationToken cancellationToken)
    {
        var shadow = EnsureShadow();
        Directory.CreateDirectory(shadow.Root); // the runner's working folder, before any sync made it
        var copies = ShadowOutputs.CopyBuiltTests(userAssemblies, shadow, _userRoot, cancellationToken);
        Interlocked.Increment(ref _testRuns);
        return await _testRunner!.RunAsync(copies, Path.GetDirectoryName(copies[0])!, shadow.FreshResultsDirectory, null,
            TimeSpan.FromSeconds(_settings.TestTimeoutSeconds), shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _confirmations.Stop();
        using (await _gate.EnterAsync(background: false, CancellationToken.None).ConfigureAwait(false))
        {
            _testRunner?.Dispose();
            _shadow?.Dispose();
        }
        _gate.Dispose();
        _lifetime.Dispose();
        _confirmations.Dispose();
    }
}
