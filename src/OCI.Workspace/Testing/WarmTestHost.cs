using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OCI.TestHost;
using OCI.Workspace.Processes;

namespace OCI.Workspace.Testing;

/// <summary>
/// One OCI.TestHost process kept warm between test rounds (started with cwd, HOME and TMP in the shadow copy), so a
/// round pays for loading its assemblies and running its tests but not for starting .NET, VSTest and a testhost.
/// It is launched through the shadow copy's <see cref="IsolationScope"/> (in the sandbox where there is one), as
/// <c>dotnet test</c> is: the code under test runs in this separate process, never in the server. A round that exceeds
/// its timeout, is cancelled, floods its output, or leaves code of itself running (its load context did not unload,
/// or it left processes running: the host reports its live descendants after each round) gets the whole process tree
/// killed, and whatever still carries the host's run marker too; the next round starts a fresh host. With
/// <paramref name="runtimeConfig"/> (see <see cref="TestRuntimeConfig"/>) the host runs under the test project's
/// runtime configuration instead of its own, as VSTest's testhost does.
/// </summary>
public sealed class WarmTestHost(string hostAssembly, string workingDirectory, IsolationScope scope, string? runtimeConfig = null) : IDisposable
{
    private const int StderrLimit = 16 * 1024;
    private Process? _process;
    private string? _runMarker;
    private Channel<string?>? _lines;
    private StringBuilder _stderr = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private Task _settling = Task.CompletedTask;

    /// <summary>Whether a host process is running now (started by an earlier round).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Where the built host is shipped: oci-testhost/ beside this assembly.</summary>
    public static string? FindHostAssembly()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "oci-testhost", "OCI.TestHost.dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>What one request did: the host's events, and how the request ended.</summary>
    public sealed record HostRun(TestHostTranscript Transcript, bool TimedOut, bool Crashed, int? ExitCode, IReadOnlyList<string> Survivors, TimeSpan Elapsed, string Output, bool Sandboxed);

    public async Task<TestRunOutcome> RunAsync(
        TestHostRequest request, TimeSpan timeout, Func<string, string?> mapPath, CancellationToken cancellationToken)
    {
        var run = await ExecuteAsync(request, timeout, mapPath, cancellationToken).ConfigureAwait(false);
        var transcript = run.Transcript;
        var messages = transcript.RunMessages.ToList();
        if (run.TimedOut && transcript.Running.Count > 0) messages.Add("still running when stopped: " + string.Join(", ", transcript.Running));
        return new TestRunOutcome(transcript.Results, run.TimedOut, run.Crashed, run.Crashed ? run.ExitCode : 0, messages, run.Output, run.Elapsed, TestRunners.WarmHost)
        {
            OutputFloodCharacters = transcript.FloodCharacters,
            Survivors = run.Survivors,
            Sandboxed = run.Sandboxed,
        };
    }

    /// <summary>Runs one request (test assemblies in the host, or test applications as its children) and returns what it did.</summary>
    public async Task<HostRun> ExecuteAsync(
        TestHostRequest request, TimeSpan timeout, Func<string, string?> mapPath, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        var transcript = new TestHostTranscript(mapPath);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var timedOut = false;
        var sandboxed = scope.Sandbox.IsActive;
        var settleLater = false;
        try
        {
            if (!IsRunning) await StartAsync(timeoutCts.Token).ConfigureAwait(false);
            var process = _process!;
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request, TestHostProtocol.Json).AsMemory(), timeoutCts.Token).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(timeoutCts.Token).ConfigureAwait(false);
            var reader = _lines!.Reader;
            var done = false;
            while (!done && await reader.WaitToReadAsync(timeoutCts.Token).ConfigureAwait(false)) // false: the host exited
            {
                while (!done && reader.TryRead(out var line)) done = line is not null && transcript.Add(line);
            }
            settleLater = transcript is { Done: true, UnloadFollows: true, FloodCharacters: null, Survivors.Count: 0 };
        }
        catch (OperationCanceledException)
        {
            Stop();
            if (cancellationToken.IsCancellationRequested) throw;
            timedOut = true;
        }
        catch (IOException)
        {
            // The host died while we wrote the request: reported as a crash below.
        }
        finally
        {
            // The gate passes to the settling of the round (below) when it is left to the background.
            if (settleLater) _settling = SettleAsync(_process!, _lines!, warmUp: null, TimeSpan.FromSeconds(30));
            else _gate.Release();
        }

        stopwatch.Stop();
        int? exitCode = null;
        IReadOnlyList<string> survivors = transcript.Survivors;
        if (transcript.FloodCharacters is not null)
        {
            survivors = [.. survivors, .. Stop()]; // flooding: stopped at once, not at the timeout
        }
        else if (!timedOut && !transcript.Done)
        {
            // The host died mid-round (the code under test crashed the process: stack overflow, Environment.Exit…).
            _process?.WaitForExit(2000);
            exitCode = _process is { HasExited: true } p ? p.ExitCode : null;
            survivors = Stop();
        }
        else if (transcript.Done && !settleLater && (!transcript.Unloaded || transcript.Survivors.Count > 0))
        {
            // Code of this round is still alive (a background thread, a process it started): the next round gets a fresh host.
            Stop();
        }

        var output = new StringBuilder(transcript.Output);
        if (transcript.StrayOutput.Count > 0) output.Append(string.Join('\n', transcript.StrayOutput)).Append('\n');
        if (!transcript.Done) output.Append(TakeStderr());
        var crashed = !timedOut && !transcript.Done && transcript.FloodCharacters is null;
        return new HostRun(transcript, timedOut, crashed, exitCode, survivors, stopwatch.Elapsed, output.ToString(), sandboxed);
    }

    /// <summary>
    /// After a round's results: waits, holding the gate, for the host to say whether the round's code is all gone. If
    /// it is not (its load context is still held, it left a process, it floods, or the host exited), the host is
    /// replaced by a fresh one at once, so the next round neither shares the old round's statics nor waits for a start.
    /// The round's verdict is not held up: its results were reported at <c>done</c>, and a round's code that is still
    /// alive can only affect the host that ran it, which is killed here before any other round runs in it.
    /// </summary>
    /// <remarks>
    /// With <paramref name="warmUp"/>, the request is sent first and settled the same way (see
    /// <see cref="EnsureStartedAsync"/>). <paramref name="limit"/>: a host that does not answer by then is replaced.
    /// </remarks>
    private async Task SettleAsync(Process process, Channel<string?> lines, TestHostRequest? warmUp, TimeSpan limit)
    {
        await Task.Yield(); // the caller goes on at once
        var reusable = false;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            deadline.CancelAfter(limit);
            if (warmUp is not null)
            {
                await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(warmUp, TestHostProtocol.Json).AsMemory(), deadline.Token).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(deadline.Token).ConfigureAwait(false);
            }
            var reader = lines.Reader;
            (bool Unloaded, IReadOnlyList<string> Survivors)? settled = null;
            while (settled is null && await reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                while (settled is null && reader.TryRead(out var line))
                {
                    if (line is not null) settled = TestHostTranscript.UnloadedEvent(line);
                }
            }
            reusable = settled is { Unloaded: true, Survivors.Count: 0 } && !process.HasExited;
            if (!reusable && !_lifetime.IsCancellationRequested)
            {
                Stop();
                await StartAsync(_lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Disposed meanwhile, or the fresh host did not start: the next round starts one (and reports why it cannot).
            if (!reusable) Stop();
        }
        finally
        {
            try
            {
                _gate.Release();
            }
            catch (ObjectDisposedException)
            {
                // Disposed while this settled (Dispose waits for it, but not forever).
            }
        }
    }

    /// <summary>
    /// Starts the host process now if it is not running, so that the next round finds it ready (half a second of
    /// starting .NET and loading the host, which a check would otherwise wait for). Cancelled before it is ready, the
    /// process is stopped: a round never reads a half-started host's lines. A host started here then warms up with
    /// <paramref name="warmUpAssemblies"/> in the background (<see cref="TestHostRequest.WarmUp"/>: xunit loaded and
    /// compiled, no test run), which a round that comes meanwhile waits for: it then finds xunit compiled.
    /// </summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken, IReadOnlyList<string>? warmUpAssemblies = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var handedOver = false;
        try
        {
            if (IsRunning) return;
            try
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Stop();
                throw;
            }
            if (warmUpAssemblies is { Count: > 0 })
            {
                // Discovery runs the tests' data members: bounded, so a hanging one delays the next round by this at most.
                _settling = SettleAsync(_process!, _lines!, new TestHostRequest(warmUpAssemblies, workingDirectory, [], false, WarmUp: true), TimeSpan.FromSeconds(10));
                handedOver = true;
            }
        }
        finally
        {
            if (!handedOver) _gate.Release();
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "exec" };
        if (runtimeConfig is not null)
        {
            arguments.AddRange(["--runtimeconfig", runtimeConfig]);
            // The host's own dependencies (xunit.abstractions) still come from its deps file beside it.
            var deps = Path.ChangeExtension(hostAssembly, ".deps.json");
            if (File.Exists(deps)) arguments.AddRange(["--depsfile", deps]);
        }
        arguments.Add(hostAssembly);
        // Each round loads fresh copies of xunit and the tests: JIT them quickly rather than well.
        var launch = scope.Launch("dotnet", arguments, workingDirectory, new Dictionary<string, string?> { ["DOTNET_TieredPGO"] = "0" });
        var marker = ProcessReaper.NewRunMarker();
        var startInfo = scope.Sandbox.CreateStartInfo(launch, marker);
        _runMarker = marker;

        var lines = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
        var stderr = new StringBuilder();
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) lines.Writer.TryComplete();
            else lines.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) if (stderr.Length < StderrLimit) stderr.Append(e.Data).Append('\n');
        };
        ProcessStartThread.Start(process); // --die-with-parent: see ProcessStartThread
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _lines = lines;
        _stderr = stderr;

        // Wait for "ready": the host is up and reading requests.
        while (true)
        {
            if (!await lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the test host exited at start: " + TakeStderr());
            }
            if (lines.Reader.TryRead(out var line) && line is not null && line.StartsWith(TestHostProtocol.EventPrefix, StringComparison.Ordinal)) return;
        }
    }

    private string TakeStderr()
    {
        lock (_stderr) return _stderr.ToString();
    }

    /// <summary>
    /// Kills the host's whole process tree (tests may have started processes of their own) and anything else that still
    /// carries its run marker (detached children); returns what had to be killed besides the host.
    /// </summary>
    private IReadOnlyList<string> Stop()
    {
        var process = Interlocked.Exchange(ref _process, null);
        var marker = Interlocked.Exchange(ref _runMarker, null);
        if (process is null) return [];
        ProcessReaper.KillTree(process);
        process.Dispose();
        return marker is null ? [] : ProcessReaper.KillMarked(marker);
    }

    public void Dispose()
    {
        _lifetime.Cancel(); // a round's settling stops waiting (and starts no fresh host)
        Stop();
        _settling.Wait(TimeSpan.FromSeconds(5));
        Stop(); // in case the settling had started one just before
        _lifetime.Dispose();
        _gate.Dispose();
    }
}
