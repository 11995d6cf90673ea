using System.Collections.Concurrent;
using System.Diagnostics;

namespace OCI.Workspace.Processes;

/// <summary>
/// Starts child processes from one thread that lives as long as the server. bubblewrap's <c>--die-with-parent</c> is
/// <c>PR_SET_PDEATHSIG</c>, which fires when the <em>thread</em> that forked the child ends, not the process: started
/// from a thread-pool thread, a sandboxed run was SIGKILLed whenever the pool retired that thread (exit 137 with no
/// timeout of ours, seen under load as HumanEval runs that "crashed" and test runs killed "from outside").
/// </summary>
internal static class ProcessStartThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Queue = [];
    private static readonly Thread Thread = StartThread();

    /// <summary><see cref="Process.Start()"/> on the long-lived thread; returns once it started (or rethrows why not).</summary>
    public static void Start(Process process)
    {
        if (Environment.CurrentManagedThreadId == Thread.ManagedThreadId)
        {
            process.Start();
            return;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((process, started));
        started.Task.GetAwaiter().GetResult();
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "oci-process-start" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var (process, started) in Queue.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
