using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace OCI.LanguageServer.Tests.Support;

/// <summary>
/// The built server (src/OCI.LanguageServer/bin/&lt;Configuration&gt;/net10.0/OCI.LanguageServer.dll) started as a
/// separate process with <c>dotnet</c>, spoken to over its stdin/stdout as an editor does; stderr is collected.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private ServerProcess(Process process)
    {
        _process = process;
        Client = new LspTestClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(line);
                }
            }
        });
    }

    public LspTestClient Client { get; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until stderr contains <paramref name="text"/> and returns it: the server logs through a background
    /// writer, so a line may arrive after the response it belongs to.
    /// </summary>
    public async Task<string> WaitForStderrAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? LspTestClient.DefaultTimeout);
        while (!Stderr.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return Stderr;
    }

    public static string ServerDll { get; } = FindServerDll();

    public static ServerProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OCI_LOG_LEVEL"] = "debug";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? LspTestClient.DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The server did not exit. stderr:\n" + Stderr);
        }
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await Client.DisposeAsync();
        await _stderrPump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _process.Dispose();
    }

    private static string FindServerDll()
    {
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(FixturePaths.RepositoryRoot, "src", "OCI.LanguageServer", "bin", configuration, "net10.0", "OCI.LanguageServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/OCI.LanguageServer ({configuration}) first", path);
    }
}
