using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.KnownFailures;

/// <summary>
/// The committed <c>HEAD</c> of the git repository holding the workspace, as changes that bring the workspace's C#
/// files back to it: when the user's code does not compile at load, its tests' known outcomes are measured on HEAD.
/// Runs only git (the user's own tool) on the user's tree, read-only.
/// </summary>
internal static class CommittedHead
{
    private const int MaxFileCharacters = 16 * 1024 * 1024;

    /// <summary>The C# files under <paramref name="root"/> that differ from HEAD, with HEAD's text; null when there is no repository or git.</summary>
    public static async Task<IReadOnlyList<FileChange>?> ChangesBackToHeadAsync(string root, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var top = await GitAsync(root, ["rev-parse", "--show-toplevel"], timeout, cancellationToken).ConfigureAwait(false);
            if (top is null) return null;
            var repository = top.Trim();
            var listed = await GitAsync(root, ["diff", "--name-only", "--no-renames", "-z", "HEAD", "--", "."], timeout, cancellationToken).ConfigureAwait(false);
            if (listed is null) return null;
            var changes = new List<FileChange>();
            foreach (var relative in listed.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!relative.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) continue;
                var text = await GitAsync(repository, ["show", $"HEAD:{relative}"], timeout, cancellationToken).ConfigureAwait(false);
                if (text is null) continue; // added since HEAD: left as it is
                changes.Add(new FileChange(Path.GetFullPath(Path.Combine(repository, relative)), text));
            }
            return changes;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    /// <summary>When HEAD was committed; null when there is no repository or git.</summary>
    public static async Task<DateTime?> CommitTimeAsync(string root, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var seconds = await GitAsync(root, ["log", "-1", "--format=%ct", "HEAD"], timeout, cancellationToken).ConfigureAwait(false);
            return long.TryParse(seconds?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var unix)
                ? DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The bytes <paramref name="path"/> has in HEAD as git checks it out (its filters and line-ending conversion
    /// applied, so they compare with what a build read from disk); null when it has none, or there is no git.
    /// </summary>
    public static async Task<byte[]?> CheckedOutBytesAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory)) return null;
        var startInfo = new System.Diagnostics.ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--no-optional-locks", "cat-file", "--filters", "HEAD:./" + Path.GetFileName(path)]) startInfo.ArgumentList.Add(argument);
        using var process = new System.Diagnostics.Process { StartInfo = startInfo };
        try
        {
            ProcessStartThread.Start(process);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
        process.StandardInput.Close();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            var errors = process.StandardError.ReadToEndAsync(timeoutCts.Token);
            using var bytes = new MemoryStream();
            await process.StandardOutput.BaseStream.CopyToAsync(bytes, timeoutCts.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            return process.ExitCode == 0 && bytes.Length <= MaxFileCharacters ? bytes.ToArray() : null;
        }
        catch (OperationCanceledException)
        {
            ProcessReaper.KillTree(process);
            if (cancellationToken.IsCancellationRequested) throw;
            return null; // timed out
        }
    }

    private static async Task<string?> GitAsync(string directory, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("git", ["--no-optional-locks", "-C", directory, .. arguments], directory, timeout, cancellationToken, outputLimit: MaxFileCharacters).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput : null;
    }
}
