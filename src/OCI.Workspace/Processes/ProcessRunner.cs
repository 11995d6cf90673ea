using System.Diagnostics;
using System.Text;

namespace OCI.Workspace.Processes;

/// <summary>
/// The outcome of one child process: exit code (null when killed), captured output (bounded), whether it timed out or
/// was stopped for flooding its output (<paramref name="OutputCharacters"/> says how much it wrote), the processes it
/// left behind that were killed after it (<paramref name="Survivors"/>), and whether it ran in the sandbox.
/// </summary>
public sealed record ProcessResult(int? ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && !OutputLimitExceeded && ExitCode == 0;

    public bool OutputLimitExceeded { get; init; }

    public long OutputCharacters { get; init; }

    public IReadOnlyList<string> Survivors { get; init; } = [];

    public bool Sandboxed { get; init; }
}

/// <summary>
/// Runs a child process with a timeout and bounded output capture. Generated code that loops forever or floods its
/// output is normal input for us, so every run is bounded in time and memory: on timeout, cancellation or an output
/// flood past its limit the whole process tree is killed, and after every run (not only a failed one) whatever the
/// run left behind is killed too (<see cref="ProcessReaper"/>; under the sandbox its PID namespace does it).
/// </summary>
public static class ProcessRunner
{
    /// <summary>Characters kept of each stream; the head and the tail are kept, the middle is elided.</summary>
    public const int DefaultOutputLimit = 64 * 1024;

    /// <summary>Characters a run may write (both streams) before it is stopped as a flood.</summary>
    public const long DefaultFloodLimit = 32L * 1024 * 1024;

    /// <summary>Runs a process that runs no generated code (restore): the server's environment, no sandbox.</summary>
    public static Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null,
        int outputLimit = DefaultOutputLimit) =>
        RunAsync(
            new IsolatedLaunch(fileName, [.. arguments], workingDirectory, environment ?? new Dictionary<string, string?>(), []),
            ProcessSandbox.None, timeout, cancellationToken, outputLimit);

    /// <summary>Runs <paramref name="launch"/> through <paramref name="sandbox"/> (the launcher of generated code).</summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is required and unavailable.</exception>
    public static async Task<ProcessResult> RunAsync(
        IsolatedLaunch launch,
        ProcessSandbox sandbox,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        int outputLimit = DefaultOutputLimit,
        long floodLimit = DefaultFloodLimit)
    {
        var marker = ProcessReaper.NewRunMarker();
        var startInfo = BackgroundPriority.Apply(sandbox.CreateStartInfo(launch, marker));
        var stdout = new BoundedText(outputLimit);
        var stderr = new BoundedText(outputLimit);
        using var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        using var flood = new CancellationTokenSource();
        long written = 0;
        void Count(string line)
        {
            if (Interlocked.Add(ref written, line.Length + 1) > floodLimit && !flood.IsCancellationRequested)
            {
                try { flood.Cancel(); } catch (ObjectDisposedException) { }
            }
        }
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Count(e.Data); stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Count(e.Data); stderr.AppendLine(e.Data); } };

        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        var stopwatch = Stopwatch.StartNew();
        ProcessStartThread.Start(process); // --die-with-parent: see ProcessStartThread
        process.StandardInput.Close(); // no stdin: a program waiting for input ends instead of hanging
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var identity = ProcessIdentity.Of(process.Id);

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, flood.Token);
        timeoutCts.CancelAfter(timeout);
        var timedOut = false;
        IReadOnlyList<string> survivors = [];
        try
        {
            // The process's own exit, not its streams' end: a detached child holding the pipes must not keep us waiting.
            if (process.HasExited) exited.TrySetResult();
            await exited.Task.WaitAsync(timeoutCts.Token).ConfigureAwait(false);
            // Under heavy load the Exited notification was seen to arrive while the child still ran (the reaping below
            // then killed a live run): trust it only once /proc agrees.
            while (identity is not null && identity.IsAlive())
            {
                await Task.Delay(20, timeoutCts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            ProcessReaper.KillTree(process);
            if (cancellationToken.IsCancellationRequested)
            {
                ProcessReaper.KillMarked(marker);
                throw;
            }
            timedOut = !flood.IsCancellationRequested;
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested) survivors = ProcessReaper.KillMarked(marker);
        }
        // Drain the redirected streams: their writers are gone now (killed, or dead with the sandbox); bounded, in case a
        // process that escaped the reaping still holds them.
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
        }

        stopwatch.Stop();
        var floodStopped = flood.IsCancellationRequested;
        return new ProcessResult(
            timedOut || floodStopped ? null : process.ExitCode,
            stdout.ToString(),
            stderr.ToString(),
            timedOut,
            stopwatch.Elapsed)
        {
            OutputLimitExceeded = floodStopped,
            OutputCharacters = Interlocked.Read(ref written),
            Survivors = survivors,
            Sandboxed = sandbox.IsActive,
        };
    }

    /// <summary>Keeps the first and last halves of a stream once it exceeds its limit.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _head = new();
        private readonly Queue<string> _tail = new();
        private int _tailLength;
        private long _dropped;
        private readonly object _gate = new();

        public void AppendLine(string line)
        {
            lock (_gate)
            {
                if (_head.Length + line.Length + 1 <= limit / 2)
                {
                    _head.Append(line).Append('\n');
                    return;
                }
                _tail.Enqueue(line);
                _tailLength += line.Length + 1;
                while (_tailLength > limit / 2 && _tail.Count > 0)
                {
                    var removed = _tail.Dequeue();
                    _tailLength -= removed.Length + 1;
                    _dropped += removed.Length + 1;
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                var text = new StringBuilder(_head.ToString());
                if (_dropped > 0) text.Append($"… [{_dropped} characters elided] …\n");
                foreach (var line in _tail) text.Append(line).Append('\n');
                return text.ToString();
            }
        }
    }
}
