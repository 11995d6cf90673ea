using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Cli;

/// <summary><c>oci serve [--stdio]</c> (also what <c>oci</c> with no command does): LSP over stdin/stdout.</summary>
internal static class ServeCommand
{
    private static readonly Option<bool> Stdio = new("--stdio")
    {
        Description = "Serve over stdin/stdout (the default; accepted because vscode-languageclient passes it).",
    };

    private static readonly Option<int?> ClientProcessId = new("--clientProcessId", "--client-process-id")
    {
        Description = "Exit when this process (the editor) ends.",
    };

    private static readonly Option<long?> MaxMessageBytes = new("--max-message-bytes")
    {
        Description = "Skip (and answer -32600 to) messages larger than this many bytes (default 64 MiB).",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve the Language Server Protocol over stdin/stdout.");
        AddTo(command);
        return command;
    }

    /// <summary>Gives <paramref name="command"/> the serve options and action (the root command serves too).</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Stdio);
        command.Options.Add(ClientProcessId);
        command.Options.Add(MaxMessageBytes);
        command.SetAction((parseResult, cancellationToken) => ServeAsync(parseResult, cancellationToken));
    }

    private const int MinWorkerThreads = 16;

    private static async Task<int> ServeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var stdin = Console.OpenStandardInput();
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error); // nothing may write text into the protocol stream by accident

        using var loggerFactory = LoggingSetup.Create(CommonOptions.ResolveLogLevel(parseResult));
        var logger = loggerFactory.CreateLogger("OCI.LanguageServer");
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (parseResult.GetValue(ClientProcessId) is { } processId)
        {
            _ = WatchClientAsync(processId, lifetime, logger);
        }

        var options = new LanguageServerOptions();
        if (parseResult.GetValue(MaxMessageBytes) is { } max and > 0)
        {
            options = options with { MaxMessageBytes = max };
        }

        // Reading stdin blocks a pool thread and a background check keeps others busy (Roslyn, process pipes): with the
        // default minimum (one thread per core) an editor request then waits for the pool to add a thread, hundreds of
        // milliseconds on 2 cores. Idle threads cost next to nothing.
        ThreadPool.GetMinThreads(out var workerThreads, out var completionThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, MinWorkerThreads), completionThreads);

        await using var engine = RefineEngine.Create(loggerFactory);
        var host = new LanguageServerHost(stdin, stdout, engine, loggerFactory, options);
        return await host.RunAsync(lifetime.Token).ConfigureAwait(false);
    }

    private static async Task WatchClientAsync(int processId, CancellationTokenSource lifetime, ILogger logger)
    {
        while (!lifetime.IsCancellationRequested)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                if (process.HasExited)
                {
                    break;
                }
            }
            catch (ArgumentException)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None).ConfigureAwait(false);
        }
        logger.LogWarning("The client process {ProcessId} has ended: exiting", processId);
        await lifetime.CancelAsync().ConfigureAwait(false);
    }
}
