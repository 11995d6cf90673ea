using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Refine;
using OCI.Engine.Tests.Support;
using OCI.Models;
using OCI.Testing;
using OCI.Workspace;
using OCI.Workspace.DiskChanges;

namespace OCI.Engine.Tests;

/// <summary>
/// A task whose workspace changes under it — files changed on disk, or a reload after a project file changed — ends
/// <see cref="RefineStopReason.Stale"/> with no changes: never an edit computed against files that are gone, never a
/// failure because the reload closed the host the task was checking against.
/// </summary>
public sealed class StaleTaskTests
{
    private const string RightAdd = "```csharp\npublic int Add(int a, int b)\n{\n    return a + b;\n}\n```";

    [Fact]
    public async Task A_reload_that_closes_the_host_under_a_running_check_ends_the_task_stale()
    {
        var before = Fixture.CreateHost();
        var after = Fixture.CreateHost();
        var (held, release) = HoldTheCandidateCheck(before);
        await using var engine = await OpenAsync(before, after);

        var running = engine.RunAsync(GenerateAdd(before), null, CancellationToken.None);
        await held.Task.WaitAsync(TestWaits.Seconds(60));
        // A project file changed: the folder is loaded again and the old host (the one the task checks against) closes.
        await engine.ReloadWorkspacesAsync([Path.Combine(before.Root, "Lib", "Lib.csproj")], null, CancellationToken.None);
        release.SetResult();
        var outcome = await running.WaitAsync(TestWaits.Seconds(60));

        Assert.Equal(RefineStopReason.Stale, outcome.StopReason);
        Assert.False(outcome.Verified);
        Assert.Empty(outcome.Changes);
        Assert.Contains("reloaded while the task ran", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_that_verified_against_files_changed_on_disk_meanwhile_offers_no_edit()
    {
        var host = Fixture.CreateHost();
        var (held, release) = HoldTheCandidateCheck(host);
        await using var engine = await OpenAsync(host, host);

        var running = engine.RunAsync(GenerateAdd(host), null, CancellationToken.None);
        await held.Task.WaitAsync(TestWaits.Seconds(60));
        var formatter = host.LibraryPath("Formatter.cs");
        host.WriteToDisk(formatter, Fixture.Formatter.Replace(" = ", " == ", StringComparison.Ordinal));
        engine.ApplyDiskChanges([new DiskChange(formatter, DiskChangeKind.Changed)]);
        release.SetResult();
        var outcome = await running.WaitAsync(TestWaits.Seconds(60));

        // The candidate passed its checks, but against the files as they were: nothing is offered.
        Assert.Equal(RefineStopReason.Stale, outcome.StopReason);
        Assert.Empty(outcome.Changes);
        Assert.Contains("Files changed on disk", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_changes_on_disk_the_same_task_offers_its_edit()
    {
        var host = Fixture.CreateHost();
        await using var engine = await OpenAsync(host, host);

        var outcome = await engine.RunAsync(GenerateAdd(host), null, CancellationToken.None);

        Assert.Equal(RefineStopReason.Verified, outcome.StopReason);
        Assert.Single(outcome.Changes);
    }

    /// <summary>The candidate's check (not the baseline's) waits until the test has changed the workspace.</summary>
    private static (TaskCompletionSource Held, TaskCompletionSource Release) HoldTheCandidateCheck(InMemoryWorkspaceHost host)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.BeforeVerify = async (request, cancellationToken) =>
        {
            if (request.ReuseUnchanged) return;
            held.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
        };
        return (held, release);
    }

    private static RefineRequest GenerateAdd(InMemoryWorkspaceHost host)
    {
        var path = host.LibraryPath("Calculator.cs");
        var text = host.GetText(path)!;
        var position = Microsoft.CodeAnalysis.Text.SourceText.From(text).Lines.GetLinePosition(text.IndexOf("NotImplementedException", StringComparison.Ordinal));
        return new RefineRequest(RefineKind.Generate, path, new Microsoft.CodeAnalysis.Text.LinePositionSpan(position, position));
    }

    /// <summary>An engine on <paramref name="first"/>; a reload of its folder opens <paramref name="reloaded"/>.</summary>
    private static async Task<RefineEngine> OpenAsync(InMemoryWorkspaceHost first, InMemoryWorkspaceHost reloaded)
    {
        var opened = 0;
        var model = new ScriptedChatClient(new ScriptedReply(RightAdd));
        var engine = new RefineEngine(NullLoggerFactory.Instance,
            (_, _, _, _) => Task.FromResult<IWorkspaceHost>(Interlocked.Increment(ref opened) == 1 ? first : reloaded), _ => model);
        engine.UpdateSettings(new OciSettings
        {
            Model = new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://scripted.invalid/v1", ModelName = "scripted" },
        });
        await engine.OpenWorkspaceAsync(first.Root, null, CancellationToken.None);
        return engine;
    }
}
