using System.Diagnostics;

namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>Runs git in a workspace copy (a test that commits branches and checks them out under the server).</summary>
public static class GitRepository
{
    public static void Git(WorkspaceCopy workspace, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workspace.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "user.name=OCI Tests", "-c", "user.email=tests@oci.invalid", "-c", "commit.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {error.Result}");
    }
}
