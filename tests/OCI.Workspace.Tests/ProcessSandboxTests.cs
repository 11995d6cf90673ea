using System.Globalization;
using OCI.Workspace.Processes;
using OCI.Workspace.Tests.Support;

namespace OCI.Workspace.Tests;

/// <summary>The launcher of generated code with real processes and real bwrap: what it contains and what it reaps.</summary>
public sealed class ProcessSandboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-sandbox-").FullName;
    private readonly string _marker = "6" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + ".5";

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <paramref name="launch"/>; again (up to three times) when it was SIGKILLed by something else. Sandboxed test
    /// processes were seen SIGKILLed now and then (exit 137 with no timeout, flood or cancel of ours): the cause found was
    /// bwrap's --die-with-parent firing when the starting thread ended (fixed: ProcessStartThread, and the test above);
    /// the retry stays for any other outside kill, which is not what these tests check.
    /// </summary>
    private static async Task<ProcessResult> RunAsync(IsolatedLaunch launch, ProcessSandbox sandbox, TimeSpan timeout, long floodLimit = ProcessRunner.DefaultFloodLimit)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await ProcessRunner.RunAsync(launch, sandbox, timeout, CancellationToken.None, floodLimit: floodLimit);
            var killedFromOutside = result.ExitCode == 137 && !result.TimedOut && !result.OutputLimitExceeded;
            if (!killedFromOutside || attempt == 3) return result;
        }
    }

    private IsolatedLaunch Shell(string script, params string[] hidden) =>
        new("/bin/sh", ["-c", script], _folder, ProcessSandbox.IsolatedEnvironment(Path.Combine(_folder, "home"), Path.Combine(_folder, "tmp")), [_folder])
        {
            HiddenPaths = hidden,
        };

    [SandboxFact]
    public async Task A_sandboxed_run_outlives_the_thread_that_started_it()
    {
        // bwrap --die-with-parent fires when the forking *thread* ends: a run started from a thread that then exits (as
        // the thread pool retires its threads) was SIGKILLed (exit 137). No retry here: that kill is what this checks.
        var sandbox = ProcessSandbox.Create(SandboxMode.Required);
        Task<ProcessResult>? run = null;
        var starter = new Thread(() => run = ProcessRunner.RunAsync(Shell("sleep 2; echo done"), sandbox, Generous, CancellationToken.None));
        starter.Start();
        starter.Join();

        var result = await run!;
        Assert.False(result.TimedOut);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Contains("done", result.StandardOutput, StringComparison.Ordinal);
    }

    [SandboxFact]
    public void Bubblewrap_is_used_where_it_is_installed()
    {
        var sandbox = ProcessSandbox.Create(SandboxMode.Auto);
        Assert.True(sandbox.IsActive, sandbox.Status);
        Assert.Contains("bubblewrap", sandbox.Status, StringComparison.Ordinal);
        Assert.Null(sandbox.Refusal);
    }

    [Fact]
    public async Task Required_without_bubblewrap_refuses_to_run_and_says_how_to_get_it()
    {
        var sandbox = ProcessSandbox.Create(SandboxMode.Required, "/nonexistent/oci-test/bwrap");
        Assert.False(sandbox.IsActive);
        Assert.Contains("apt-get install bubblewrap", sandbox.Refusal, StringComparison.Ordinal);
        var canary = Path.Combine(_folder, "ran.txt");
        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() =>
            ProcessRunner.RunAsync(Shell($"echo ran > {canary}"), sandbox, Generous, CancellationToken.None));
        Assert.Contains("/nonexistent/oci-test/bwrap", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(canary));
    }

    [Fact]
    public async Task Auto_without_bubblewrap_runs_and_says_plainly_that_there_is_no_sandbox()
    {
        var sandbox = ProcessSandbox.Create(SandboxMode.Auto, "/nonexistent/oci-test/bwrap");
        Assert.StartsWith("NO SANDBOX", sandbox.Status, StringComparison.Ordinal);
        var result = await RunAsync(Shell("echo hello"), sandbox, Generous);
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.Sandboxed);
        Assert.StartsWith("NO SANDBOX (oci.verification.sandbox is off)", ProcessSandbox.Create(SandboxMode.Off).Status, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Inside_the_sandbox_only_the_writable_folder_is_writable_hidden_folders_are_empty_and_there_is_no_network()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var outsideHome = Path.Combine(home, $"oci-sandbox-canary-{_marker}");
        var hidden = Directory.CreateTempSubdirectory("oci-hidden-").FullName; // under /tmp: hidden by the private /tmp
        // Beside this test's own folder, not inside it: the sandbox shows the running app's folder (and NuGet's) again,
        // read-only, even where it lies in a hidden place (a clone under /tmp), but never its neighbours.
        var appFolder = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var hiddenOutsideTmp = Path.Combine(Path.GetDirectoryName(appFolder)!, $"hidden-{_marker}");
        Assert.False(IsInside(hiddenOutsideTmp, appFolder) || IsInside(hiddenOutsideTmp, ProcessSandbox.NuGetPackagesFolder()), hiddenOutsideTmp);
        Directory.CreateDirectory(hiddenOutsideTmp);
        File.WriteAllText(Path.Combine(hiddenOutsideTmp, "secret.txt"), "secret");
        try
        {
            var script = $"""
                echo x > {outsideHome} 2>/dev/null && echo HOME-WRITTEN
                echo x > {_folder}/inside.txt && echo INSIDE-WRITTEN
                ls -A {hiddenOutsideTmp} | grep -q secret && echo HIDDEN-VISIBLE
                ls -A /tmp | grep -vx -e / {string.Join(" ", ShownUnderTmp(appFolder).Select(n => $"-e '{n}'"))} | grep -q . && echo TMP-NOT-EMPTY
                cat /proc/net/dev | grep -v lo: | grep -q : && echo HAS-NETWORK-INTERFACE
                echo done
                """;
            var result = await RunAsync(Shell(script, hiddenOutsideTmp, hidden), ProcessSandbox.Create(SandboxMode.Required), Generous);
            Assert.True(result.Sandboxed);
            Assert.Contains("INSIDE-WRITTEN", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("done", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("HOME-WRITTEN", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("HIDDEN-VISIBLE", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("TMP-NOT-EMPTY", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("HAS-NETWORK-INTERFACE", result.StandardOutput, StringComparison.Ordinal);
            Assert.False(File.Exists(outsideHome));
            Assert.True(File.Exists(Path.Combine(_folder, "inside.txt")));
        }
        finally
        {
            File.Delete(outsideHome);
            Directory.Delete(hidden, recursive: true);
            Directory.Delete(hiddenOutsideTmp, recursive: true);
        }
    }

    /// <summary>The names in /tmp the sandbox must show: the first folder of each path it binds there (the writable folder, and the app's and NuGet's when they live under /tmp).</summary>
    private string[] ShownUnderTmp(string appFolder) =>
        [.. new[] { _folder, appFolder, ProcessSandbox.NuGetPackagesFolder() }
            .Where(p => IsInside(p, "/tmp"))
            .Select(p => Path.GetRelativePath("/tmp", p).Split(Path.DirectorySeparatorChar)[0])
            .Distinct(StringComparer.Ordinal)];

    private static bool IsInside(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [Theory]
    [InlineData(SandboxMode.Off)]
    [InlineData(SandboxMode.Auto)]
    public async Task A_detached_child_does_not_outlive_its_run(SandboxMode mode)
    {
        try
        {
            var result = await RunAsync(
                Shell($"setsid nohup sleep {_marker} >/dev/null 2>&1 & sleep 0.2; echo started"), ProcessSandbox.Create(mode), Generous);
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode} after {result.Elapsed.TotalMilliseconds} ms, stdout '{result.StandardOutput}', stderr '{result.StandardError}', survivors: {string.Join("; ", result.Survivors)}");
            Assert.False(result.TimedOut, "the detached child's open pipes must not keep the run waiting");
            await LiveProcesses.AssertNoneAsync(_marker);
            if (!result.Sandboxed) Assert.Contains(result.Survivors, s => s.Contains(_marker, StringComparison.Ordinal));
        }
        finally
        {
            LiveProcesses.KillAll(_marker);
        }
    }

    [Theory]
    [InlineData(SandboxMode.Off)]
    [InlineData(SandboxMode.Auto)]
    public async Task A_bounded_fork_loop_leaves_nothing_behind(SandboxMode mode)
    {
        try
        {
            var result = await RunAsync(
                Shell($"i=0; while [ $i -lt 40 ]; do (sleep {_marker} &); i=$((i+1)); done; echo forked"), ProcessSandbox.Create(mode), Generous);
            Assert.Contains("forked", result.StandardOutput, StringComparison.Ordinal);
            await LiveProcesses.AssertNoneAsync(_marker);
        }
        finally
        {
            LiveProcesses.KillAll(_marker);
        }
    }

    [Fact]
    public async Task An_output_flood_is_stopped_at_its_limit_and_says_how_much()
    {
        var result = await RunAsync(
            Shell("yes 'flood flood flood'"), ProcessSandbox.Create(SandboxMode.Auto), TimeSpan.FromSeconds(600), floodLimit: 1024 * 1024);
        Assert.True(result.OutputLimitExceeded, $"exit {result.ExitCode}, {result.OutputCharacters} characters, stderr: {result.StandardError}");
        Assert.False(result.TimedOut);
        Assert.True(result.OutputCharacters > 1024 * 1024, $"{result.OutputCharacters}");
        Assert.False(result.Succeeded);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
