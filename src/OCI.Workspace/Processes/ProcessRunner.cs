using System.Diagnostics;
using System.Text;

namespace OCI.Workspace.Processes;

/// <summary>The outcome of one child process: exit code (null when killed), captured output (bounded), and whether it timed out.</summary>
public sealed record ProcessResult(int? ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;
}

/// <summary>
/// Runs a child process with a timeout and bounded output capture. Generated code that loops forever or floods its
/// output is normal input for us, so every run is bounded in time and memory, and on timeout or cancellation the
/// whole process tree is killed (dotnet test spawns a testhost that would otherwise outlive its parent).
/// </summary>
public static class ProcessRunner
{
    /// <summary>Characters kept of each stream; the head and the tail are kept, the middle is elided.</summary>
    public const int DefaultOutputLimit = 64 * 1024;

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null,
        int outputLimit = DefaultOutputLimit)
    {
        (fileName, arguments) = BackgroundPriority.Wrap(fileName, arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        // Child dotnet processes must never talk to a terminal or wait for telemetry prompts.
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) startInfo.Environment.Remove(key);
                else startInfo.Environment[key] = value;
            }
        }

        var stdout = new BoundedText(outputLimit);
        var stderr = new BoundedText(outputLimit);
        using var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.AppendLine(e.Data); };

        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close(); // no stdin: a program waiting for input ends instead of hanging
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
            // WaitForExitAsync returns once the process exits; drain the redirected streams too.
            process.WaitForExit();
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            if (cancellationToken.IsCancellationRequested) throw;
            timedOut = true;
        }

        stopwatch.Stop();
        return new ProcessResult(
            timedOut ? null : process.ExitCode,
            stdout.ToString(),
            stderr.ToString(),
            timedOut,
            stopwatch.Elapsed);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
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
