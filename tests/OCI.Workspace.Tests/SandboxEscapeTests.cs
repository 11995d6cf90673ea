using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OCI.Workspace.Feedback;
using OCI.Workspace.Processes;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;
using OCI.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// Hostile candidates through the real verification path (in-memory compile, shadow build, tests in the warm host or
/// dotnet test), each trying one escape from Calculator.Add, which the tests call. Each must be contained: the
/// canaries outside stay, the user's tree stays byte-identical, nothing connects, and no process is left.
/// </summary>
public static class EscapeCandidates
{
    /// <summary>Calculator.cs whose Add first runs <paramref name="escape"/> (exceptions swallowed), then adds.</summary>
    public static string Calculator(string escape) => $$"""
        namespace Calc;

        public static class Calculator
        {
            public static int Add(int a, int b)
            {
                try
                {
                    {{escape}}
                }
                catch (System.Exception e)
                {
                    System.Console.WriteLine("escape failed: " + e.Message);
                }
                return a + b;
            }

            public static int Multiply(int a, int b)
            {
                return a * b;
            }
        }
        """;

    public static string Literal(string text) => "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Shell(string script) =>
        $"System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(\"/bin/sh\", new[] {{ \"-c\", {Literal(script)} }}) {{ UseShellExecute = false }})!.WaitForExit();";
}

/// <summary>A Passing fixture copied outside /tmp (so hiding the user's tree is tested, not only the private /tmp).</summary>
public sealed class EscapeFixture() : OpenedFixture("Passing", Path.Combine(AppContext.BaseDirectory, "escape-tests"));

/// <summary>The same, tests through dotnet test instead of the warm host.</summary>
public sealed class EscapeDotnetTestFixture() : OpenedFixture("Passing", Path.Combine(AppContext.BaseDirectory, "escape-tests"))
{
    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 120, WarmTestHost = false };
}

/// <summary>No sandbox (off): the process reaping alone must still leave nothing behind.</summary>
public sealed class EscapeNoSandboxFixture() : OpenedFixture("Passing")
{
    protected override VerificationSettings Settings => new() { ShadowRoot = Copy.ShadowRoot, TestTimeoutSeconds = 120, Sandbox = SandboxMode.Off };
}

/// <summary>Required, with bwrap pointed at a file that does not exist: nothing generated may run.</summary>
public sealed class EscapeRequiredWithoutBwrapFixture() : OpenedFixture("Passing")
{
    protected override VerificationSettings Settings => new()
    {
        ShadowRoot = Copy.ShadowRoot, Sandbox = SandboxMode.Required, BubblewrapPath = "/nonexistent/oci-test/bwrap",
    };
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class SandboxEscapeTests(EscapeFixture fixture) : IClassFixture<EscapeFixture>
{
    private string CalculatorPath => fixture.Copy.PathOf("Calc/Calculator.cs");

    private async Task<VerificationResult> VerifyAsync(string escape)
    {
        Assert.True(fixture.Host.Sandbox.IsActive, fixture.Host.Sandbox.Status);
        var result = await fixture.Host.VerifyAsync(
            new VerificationRequest([new FileChange(CalculatorPath, EscapeCandidates.Calculator(escape))]), null, CancellationToken.None);
        TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
        return result;
    }

    [SandboxFact]
    public async Task Deleting_by_absolute_path_in_tmp_and_home_deletes_nothing()
    {
        var tmpCanary = Path.Combine(Path.GetTempPath(), $"oci-canary-{Guid.NewGuid():N}.txt");
        var homeCanary = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), $"oci-canary-{Guid.NewGuid():N}.txt");
        File.WriteAllText(tmpCanary, "keep");
        File.WriteAllText(homeCanary, "keep");
        try
        {
            var result = await VerifyAsync($"System.IO.File.Delete({EscapeCandidates.Literal(tmpCanary)}); System.IO.File.Delete({EscapeCandidates.Literal(homeCanary)});");
            Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
            Assert.True(File.Exists(tmpCanary), "the /tmp canary was deleted");
            Assert.True(File.Exists(homeCanary), "the $HOME canary was deleted");
        }
        finally
        {
            File.Delete(tmpCanary);
            File.Delete(homeCanary);
        }
    }

    [SandboxFact]
    public async Task Writing_into_the_users_tree_by_absolute_path_changes_nothing()
    {
        var target = EscapeCandidates.Literal(CalculatorPath);
        var added = EscapeCandidates.Literal(fixture.Copy.PathOf("Calc/Injected.cs"));
        var result = await VerifyAsync(
            $"System.IO.File.WriteAllText({target}, \"hacked\"); System.IO.File.WriteAllText({added}, \"class Injected {{}}\"); throw new System.Exception(\"reached\");");
        Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
        Assert.False(File.Exists(fixture.Copy.PathOf("Calc/Injected.cs")));
        Assert.DoesNotContain("hacked", File.ReadAllText(CalculatorPath), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task An_outbound_connection_to_a_loopback_listener_never_arrives()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var result = await VerifyAsync(
            $"using var client = new System.Net.Sockets.TcpClient(); client.Connect(\"127.0.0.1\", {port.ToString(CultureInfo.InvariantCulture)}); client.GetStream().Write(new byte[] {{ 1 }});");
        Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
        Assert.False(listener.Pending(), "the candidate connected to the test's listener");
    }

    [SandboxFact]
    public async Task A_detached_child_and_a_bounded_fork_loop_leave_no_process()
    {
        var marker = "7" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + ".5";
        try
        {
            var result = await VerifyAsync(EscapeCandidates.Shell(
                $"setsid nohup sleep {marker} >/dev/null 2>&1 & i=0; while [ $i -lt 20 ]; do (sleep {marker} &); i=$((i+1)); done"));
            Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
            await LiveProcesses.AssertNoneAsync(marker);
            Assert.Contains("left", result.Message, StringComparison.Ordinal); // the round's survivors are named (and were killed)

            // The next round starts a fresh host and is clean.
            var clean = await fixture.Host.VerifyAsync(new VerificationRequest([]), null, CancellationToken.None);
            Assert.Equal(VerificationStatus.Passed, clean.Status);
        }
        finally
        {
            LiveProcesses.KillAll(marker);
        }
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class SandboxEscapeDotnetTestTests(EscapeDotnetTestFixture fixture) : IClassFixture<EscapeDotnetTestFixture>
{
    [SandboxFact]
    public async Task Every_escape_at_once_is_contained_under_dotnet_test()
    {
        Assert.True(fixture.Host.Sandbox.IsActive, fixture.Host.Sandbox.Status);
        var homeCanary = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), $"oci-canary-{Guid.NewGuid():N}.txt");
        File.WriteAllText(homeCanary, "keep");
        var marker = "8" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + ".5";
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var calculator = fixture.Copy.PathOf("Calc/Calculator.cs");
        try
        {
            var escape = string.Join(" ", [
                $"try {{ System.IO.File.Delete({EscapeCandidates.Literal(homeCanary)}); }} catch (System.Exception) {{ }}",
                $"try {{ System.IO.File.WriteAllText({EscapeCandidates.Literal(calculator)}, \"hacked\"); }} catch (System.Exception) {{ }}",
                $"try {{ using var client = new System.Net.Sockets.TcpClient(); client.Connect(\"127.0.0.1\", {port.ToString(CultureInfo.InvariantCulture)}); }} catch (System.Exception) {{ }}",
                EscapeCandidates.Shell($"setsid nohup sleep {marker} >/dev/null 2>&1 & i=0; while [ $i -lt 20 ]; do (sleep {marker} &); i=$((i+1)); done"),
            ]);
            var result = await fixture.Host.VerifyAsync(
                new VerificationRequest([new FileChange(calculator, EscapeCandidates.Calculator(escape))]), null, CancellationToken.None);
            Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
            Assert.True(File.Exists(homeCanary));
            Assert.False(listener.Pending());
            TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);
            await LiveProcesses.AssertNoneAsync(marker);
        }
        finally
        {
            File.Delete(homeCanary);
            LiveProcesses.KillAll(marker);
        }
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class NoSandboxReapingTests(EscapeNoSandboxFixture fixture) : IClassFixture<EscapeNoSandboxFixture>
{
    [Fact]
    public async Task Without_the_sandbox_detached_children_are_still_killed_after_the_round_and_progress_says_no_sandbox()
    {
        Assert.False(fixture.Host.Sandbox.IsActive);
        var marker = "9" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + ".5";
        var progress = new List<string>();
        var calculator = fixture.Copy.PathOf("Calc/Calculator.cs");
        try
        {
            var result = await fixture.Host.VerifyAsync(
                new VerificationRequest([new FileChange(calculator, EscapeCandidates.Calculator(EscapeCandidates.Shell(
                    $"setsid nohup sleep {marker} >/dev/null 2>&1 & i=0; while [ $i -lt 20 ]; do (sleep {marker} &); i=$((i+1)); done")))]),
                new SynchronousProgress(progress.Add), CancellationToken.None);
            Assert.True(result.Status == VerificationStatus.Passed, FeedbackRenderer.Render(result, 4000));
            await LiveProcesses.AssertNoneAsync(marker);
            Assert.Contains("left", result.Message, StringComparison.Ordinal);
            Assert.NotEmpty(progress);
            Assert.All(progress, p => Assert.StartsWith(SandboxProgress.NoSandboxPrefix, p, StringComparison.Ordinal));
        }
        finally
        {
            LiveProcesses.KillAll(marker);
        }
    }
}

[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class SandboxRequiredTests(EscapeRequiredWithoutBwrapFixture fixture) : IClassFixture<EscapeRequiredWithoutBwrapFixture>
{
    [Fact]
    public async Task Required_without_bubblewrap_refuses_to_build_or_test_and_runs_nothing()
    {
        var canary = Path.Combine(Path.GetTempPath(), $"oci-canary-{Guid.NewGuid():N}.txt");
        File.WriteAllText(canary, "keep");
        try
        {
            var calculator = fixture.Copy.PathOf("Calc/Calculator.cs");
            var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => fixture.Host.VerifyAsync(
                new VerificationRequest([new FileChange(calculator, EscapeCandidates.Calculator($"System.IO.File.Delete({EscapeCandidates.Literal(canary)});"))]),
                null, CancellationToken.None));
            Assert.Contains("required", refused.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install bubblewrap", refused.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(canary));
            TreeSnapshot.AssertUnchanged(fixture.TreeAfterLoad, fixture.Copy.Root);

            // The in-memory compile runs no generated code and still works.
            var compiled = await fixture.Host.CompileAsync([new FileChange(calculator, File.ReadAllText(calculator))], CancellationToken.None);
            Assert.Equal(VerificationStatus.Passed, compiled.Status);
        }
        finally
        {
            File.Delete(canary);
        }
    }
}
