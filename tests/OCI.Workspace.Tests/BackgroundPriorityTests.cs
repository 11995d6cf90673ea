using OCI.Workspace.Processes;

namespace OCI.Workspace.Tests;

/// <summary>Child processes started in a flow marked as background run at nice 19; elsewhere they keep the server's priority.</summary>
public sealed class BackgroundPriorityTests
{
    /// <summary>The niceness of a child process, as it reads it itself (/proc/self/stat, field 19).</summary>
    private static async Task<int> ChildNicenessAsync()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "cut -d' ' -f19 /proc/self/stat"], Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(result.Succeeded, result.StandardError);
        return int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> InBackgroundAsync()
    {
        BackgroundPriority.MarkCurrentFlow();
        await Task.Yield();
        return await ChildNicenessAsync();
    }

    [Fact]
    public async Task A_background_flow_starts_children_at_nice_19_and_the_mark_does_not_leak_to_the_caller()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc is Linux's
        var own = int.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(BackgroundPriority.Niceness, await InBackgroundAsync());
        Assert.False(BackgroundPriority.IsBackground);
        Assert.Equal(own, await ChildNicenessAsync());
    }
}
