using System.Diagnostics;

namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// One run of the built <c>oci</c> executable (<c>dotnet OCI.LanguageServer.dll …</c>) as a user's shell starts it:
/// stdin closed at once (so a command that waits for input would end, not hang), stdout and stderr captured apart,
/// since the CLI's contract is "result on stdout, everything else on stderr".
/// </summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stretched by the machine's load (<see cref="TestWaits"/>): a whole load, build and test run under parallel builds.</summary>
    public static TimeSpan DefaultTimeout => TestWaits.Scaled(TimeSpan.FromMinutes(3));

    /// <param name="tempFolder">Becomes TMPDIR/TMP/TEMP of the process, so shadow copies it makes land in the test's own folder.</param>
    /// <param name="serverDll">Another build of the server than the one beside the tests (e.g. a `dotnet build -o` output).</param>
    public static async Task<CliRun> StartAsync(IEnumerable<string> arguments, string? tempFolder = null, string? workingDirectory = null, TimeSpan? timeout = null, string? serverDll = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(serverDll ?? ServerProcess.ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Debug logging on: whatever is logged must still stay off stdout.
        start.Environment["OCI_LOG_LEVEL"] = "debug";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (tempFolder is not null)
        {
            Directory.CreateDirectory(tempFolder);
            start.Environment["TMPDIR"] = tempFolder;
            start.Environment["TMP"] = tempFolder;
            start.Environment["TEMP"] = tempFolder;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"oci {string.Join(' ', arguments)} did not exit. stderr:\n{await stderr}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliRun> StartAsync(params string[] arguments) => StartAsync((IEnumerable<string>)arguments);

    /// <summary>For assertion messages: everything the run printed.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
