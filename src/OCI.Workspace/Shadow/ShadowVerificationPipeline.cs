using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Building;
using OCI.Workspace.Compilation;
using OCI.Workspace.Processes;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The real stages of a check, in a warm <see cref="ShadowWorkspace"/>: a fast round that emits the candidate's
/// in-memory compilation and runs the tests on it, then MSBuild and the test run that confirm it (or, without a fast
/// round, build and test directly). The shadow copy, its test runner and the counts of the work done live here.
/// </summary>
internal sealed class ShadowVerificationPipeline(
    string userRoot, VerificationSettings settings, ProcessSandbox sandbox, KnownTestOutcomes knownOutcomes, Func<string, string?> readText, ILogger logger) : IAsyncDisposable
{
    private readonly ProcessSandbox _sandbox = sandbox;
    private readonly KnownTestOutcomes _knownOutcomes = knownOutcomes;
    private IsolationScope? _scope;
    private readonly string _userRoot = userRoot;
    private readonly VerificationSettings _settings = settings;
    private readonly Func<string, string?> _readText = readText;
    private readonly ILogger _logger = logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private ShadowWorkspace? _shadow;
    private TestRoundRunner? _testRunner;
    private bool _shadowBuilt;
    private int _buildRuns;
    private int _testRuns;

    /// <summary>MSBuild builds run in the shadow copy (tests count the work a check did).</summary>
    public int BuildRuns => Volatile.Read(ref _buildRuns);

    /// <summary>Test runs (warm host or dotnet test) started.</summary>
    public int TestRuns => Volatile.Read(ref _testRuns);

    /// <summary>
    /// Builds and tests <paramref name="candidate"/> (already compiled in memory: <paramref name="compiled"/>) in the
    /// shadow copy brought to <paramref name="overlays"/> plus the candidate's changes. One check at a time.
    /// </summary>
    public async Task<VerificationResult> BuildAndTestAsync(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await BuildAndTestCoreAsync(request, candidate, overlays, compiled, progress, allowFastRound: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The real build and whole-suite run of a candidate whose fast round was offered already
    /// (<see cref="VerificationRequest.ConfirmLater"/>): waits its turn, brings the shadow copy back to the candidate's
    /// state and confirms. Never throws: a failure or the host's disposal is a result.
    /// </summary>
    private async Task<VerificationResult> ConfirmLaterAsync(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled)
    {
        var cancellationToken = _lifetime.Token;
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await BuildAndTestCoreAsync(request with { TestFilter = null }, candidate, overlays, compiled, null, allowFastRound: false, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The confirming build did not finish");
            return compiled with { Status = VerificationStatus.BuildSystemError, Message = "the confirming build and test run did not finish: " + e.Message };
        }
    }

    private async Task<VerificationResult> BuildAndTestCoreAsync(
        VerificationRequest request, CandidateSolution candidate, IReadOnlyDictionary<string, string> overlays, VerificationResult compiled,
        IProgress<string>? progress, bool allowFastRound, CancellationToken cancellationToken)
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
        var affected = changedProjects.Count == 0 ? forked.ProjectIds.ToHashSet() : TestProjectDiscovery.Affected(forked, changedProjects);
        var tops = TestProjectDiscovery.BuildTops(forked, affected);
        var buildTargets = tops.Select(p => shadow.ToShadowPath(p.FilePath!)).ToList();

        var testProjects = TestProjectDiscovery.Find(forked, changedProjects);

        // Time the fast round spent before a passing candidate is confirmed: counted into the result's build and test times.
        var fastBuildTime = TimeSpan.Zero;
        var fastTestTime = TimeSpan.Zero;
        var fastTestsPassed = false;

        // Fast round: emit from the warm compilations instead of running MSBuild. Failing tests end the round here; a
        // candidate whose tests pass is confirmed below by the real build and test run.
        if (allowFastRound && runTests && _settings.FastTestRounds && _shadowBuilt && !sync.ProjectFilesChanged && testProjects.Count > 0
            && affected.All(id => forked.GetProject(id) is { } p && InMemoryEmitter.CanEmit(p, _userRoot)))
        {
            var emitWatch = Stopwatch.StartNew();
            var order = forked.GetProjectDependencyGraph().GetTopologicallySortedProjects(cancellationToken).Where(affected.Contains).ToList();
            progress?.Report("building in memory…");
            var emitProblem = await InMemoryEmitter.EmitAsync(forked, order, shadow, cancellationToken).ConfigureAwait(false);
            if (emitProblem is not null)
            {
                _logger.LogInformation("In-memory build not possible, using MSBuild: {Problem}", emitProblem);
                progress?.Report("in-memory build not possible: " + emitProblem);
            }
            else
            {
                emitWatch.Stop();
                var fast = await RunTestsAsync(request.TestFilter, compiled, compiled.Diagnostics, testProjects, shadow, emitWatch.Elapsed, progress, cancellationToken).ConfigureAwait(false);
                // Failures the user already had do not stop the round: the real build and run decide as for a pass.
                if (fast.Status != VerificationStatus.Passed && !fast.OnlyKnownFailuresFail) return fast with { Message = fast.Message ?? "built in memory (fast round)" };
                fastBuildTime = emitWatch.Elapsed;
                fastTestTime = fast.TestTime;
                fastTestsPassed = true;
                if (request.ConfirmLater && fast.WholeSuite)
                {
                    // Offered now on the in-memory build; MSBuild and the whole suite on its output confirm afterwards.
                    _shadowBuilt = false;
                    shadow.TouchSources(request.Changes.Select(c => c.Path));
                    progress?.Report("tests pass on the in-memory build; the real build confirms it in the background");
                    return fast with { PendingConfirmation = ConfirmLaterAsync(request, candidate, overlays, compiled) };
                }
                progress?.Report("tests pass; confirming with a real build…");
            }
            _shadowBuilt = false; // outputs now come from the emitter: let MSBuild see the sources as newer
            shadow.TouchSources(request.Changes.Select(c => c.Path));
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
        }
        var buildErrors = build.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverityLevel.Error)
            .Select(d => WithSourceLine(d, texts))
            .ToList();
        var diagnostics = compiled.Diagnostics.Concat(buildErrors).ToList();
        if (build.TimedOut)
        {
            progress?.Report("build timed out");
            return compiled with
            {
                Status = VerificationStatus.TimedOut, Diagnostics = diagnostics,
                Message = $"the build did not finish within {_settings.BuildTimeoutSeconds} s and was stopped",
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000), BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime,
            };
        }
        if (!build.Succeeded)
        {
            var compilerErrors = buildErrors.Any(BuildOutputParser.IsCompilerDiagnostic);
            progress?.Report($"build failed: {buildErrors.Count} error(s)");
            return compiled with
            {
                Status = compilerErrors ? VerificationStatus.CompileErrors : VerificationStatus.BuildSystemError,
                Diagnostics = diagnostics,
                Message = buildErrors.Count == 0 ? BuildFailure.MessageWithoutDiagnostics : BuildFailure.Message,
                Output = Feedback.Truncation.HeadAndTail(build.Output, 4000),
                BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime,
            };
        }
        if (!runTests) return compiled with { Diagnostics = diagnostics, BuildTime = fastBuildTime + build.Elapsed, TestTime = fastTestTime, RealBuild = true };

        // Confirming a fast round whose relevant tests and then all tests passed: all tests once on MSBuild's output (the
        // relevant ones are among them; running them first again would only repeat what the fast round already said).
        var confirmFilter = fastTestsPassed ? null : request.TestFilter;
        var tested = await RunTestsAsync(confirmFilter, compiled, diagnostics, testProjects, shadow, fastBuildTime + build.Elapsed, progress, cancellationToken).ConfigureAwait(false);
        return tested with { TestTime = fastTestTime + tested.TestTime, RealBuild = true };
    }

    private async Task<VerificationResult> RunTestsAsync(
        string? testFilter, VerificationResult compiled, IReadOnlyList<CompilerDiagnostic> diagnostics, IReadOnlyList<Project> testProjects,
        ShadowWorkspace shadow, TimeSpan buildTime, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var assemblies = testProjects
            .Select(p => p.OutputFilePath)
            .OfType<string>()
            .Where(p => ShadowWorkspace.IsInside(p, _userRoot))
            .Select(shadow.ToShadowPath)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (assemblies.Count == 0)
        {
            progress?.Report("no tests cover the change");
            return compiled with
            {
                Diagnostics = diagnostics, BuildTime = buildTime,
                Message = testProjects.Count == 0 ? "no test project references the changed code" : "the test assemblies were not found after the build",
            };
        }

        var testTimeout = TimeSpan.FromSeconds(_settings.TestTimeoutSeconds);
        var workingDirectory = Path.GetDirectoryName(assemblies[0])!;
        progress?.Report(testFilter is null ? "running tests…" : "running the relevant tests first…");
        var runner = _testRunner!;
        Interlocked.Increment(ref _testRuns);
        var outcome = await runner.RunAsync(assemblies, workingDirectory, shadow.FreshResultsDirectory, testFilter,
            testTimeout, shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
        var elapsed = outcome.Elapsed;
        var wholeSuite = testFilter is null;
        IReadOnlySet<string> relevant = new HashSet<string>(StringComparer.Ordinal);
        if (testFilter is not null && !outcome.TimedOut && !outcome.Crashed && outcome.Results.All(r => r.Outcome != TestOutcome.Failed))
        {
            relevant = outcome.Results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            wholeSuite = true;
            progress?.Report($"relevant tests: {Summary(outcome.Results)}; running all tests…");
            Interlocked.Increment(ref _testRuns);
            outcome = await runner.RunAsync(assemblies, workingDirectory, shadow.FreshResultsDirectory, null,
                testTimeout, shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
            elapsed += outcome.Elapsed;
        }
        // A failure the user already had is known only where the whole suite ran, and never for a test the request targets.
        var knownFailures = wholeSuite && !outcome.TimedOut
            ? _knownOutcomes.AlreadyFailed(outcome.Results.Where(r => r.Outcome == TestOutcome.Failed && !relevant.Contains(r.Name)).Select(r => r.Name))
            : [];
        progress?.Report($"running tests: {Summary(outcome.Results)}{(knownFailures.Count > 0 ? $" ({knownFailures.Count} failed before too)" : "")}{(outcome.TimedOut ? ", timed out" : outcome.OutputFloodCharacters is not null ? ", output limit exceeded" : outcome.Crashed ? ", test host crashed" : "")} ({outcome.Runner})");
        var (status, runMessage) = TestRunReport.Describe(outcome, _settings.TestTimeoutSeconds);
        return compiled with
        {
            Status = status,
            Diagnostics = diagnostics,
            Tests = outcome.Results,
            KnownFailures = knownFailures,
            KnownFailuresSource = knownFailures.Count > 0 ? _knownOutcomes.Source : null,
            ImpactedTests = relevant.Count,
            WholeSuite = wholeSuite && !outcome.TimedOut && !outcome.Crashed,
            Message = runMessage,
            Output = status == VerificationStatus.Passed ? null : Feedback.Truncation.HeadAndTail(outcome.Output, 4000),
            BuildTime = buildTime,
            TestTime = elapsed,
        };
    }

    /// <summary>The shadow copy, its isolation scope and its test runner, made on first use.</summary>
    private ShadowWorkspace EnsureShadow()
    {
        if (_shadow is null)
        {
            _shadow = ShadowWorkspace.Create(_userRoot, _settings.ShadowRoot);
            // Every process that runs generated code for this copy: write only the container, never see the user's tree.
            _scope = IsolationScope.ForShadow(_sandbox, _shadow.Container, _shadow.HomeDirectory, _shadow.TempDirectory, _userRoot);
            _testRunner = new TestRoundRunner(_shadow.Root, _scope, _settings.WarmTestHost, _logger);
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
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var shadow = EnsureShadow();
            Directory.CreateDirectory(shadow.Root); // the runner's working folder, before any sync made it
            var copies = new List<string>();
            foreach (var assembly in userAssemblies)
            {
                var folder = Path.GetDirectoryName(assembly)!;
                var target = Path.Combine(shadow.Container, "built", Path.GetRelativePath(_userRoot, folder));
                if (!ShadowWorkspace.IsInside(target, Path.Combine(shadow.Container, "built"))) throw new ArgumentException($"{assembly} is outside the workspace.", nameof(userAssemblies));
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                CopyFolder(folder, target, cancellationToken);
                copies.Add(Path.Combine(target, Path.GetFileName(assembly)));
            }
            Interlocked.Increment(ref _testRuns);
            return await _testRunner!.RunAsync(copies, Path.GetDirectoryName(copies[0])!, shadow.FreshResultsDirectory, null,
                TimeSpan.FromSeconds(_settings.TestTimeoutSeconds), shadow.ToUserPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void CopyFolder(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyFolder(directory, Path.Combine(target, Path.GetFileName(directory)), cancellationToken);
        }
    }

    private static string Summary(IReadOnlyList<TestCaseResult> results)
    {
        var passed = results.Count(r => r.Outcome == TestOutcome.Passed);
        var failed = results.Count(r => r.Outcome == TestOutcome.Failed);
        var skipped = results.Count(r => r.Outcome == TestOutcome.Skipped);
        return $"{passed} passed, {failed} failed{(skipped > 0 ? $", {skipped} skipped" : "")}";
    }

    private CompilerDiagnostic WithSourceLine(CompilerDiagnostic diagnostic, IReadOnlyDictionary<string, string> texts)
    {
        if (diagnostic.Path is null || diagnostic.Line <= 0 || diagnostic.SourceLine is not null) return diagnostic;
        var text = texts.TryGetValue(diagnostic.Path, out var t) ? t : _readText(diagnostic.Path);
        if (text is null) return diagnostic;
        var lines = text.Split('\n');
        return diagnostic.Line <= lines.Length ? diagnostic with { SourceLine = lines[diagnostic.Line - 1].TrimEnd('\r') } : diagnostic;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _testRunner?.Dispose();
            _shadow?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
        _gate.Dispose();
        _lifetime.Dispose();
    }
}
