using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.CodeActions;
using OCI.LanguageServer.Handler.Commands;
using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Handler.Diagnostics;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Handler.Lifecycle;
using OCI.LanguageServer.Handler.TextSync;
using OCI.LanguageServer.Handler.Workspace;
using OCI.LanguageServer.JsonRpc;
using OCI.LanguageServer.Protocol;
using StreamJsonRpc;

namespace OCI.LanguageServer.Server;

/// <summary>
/// One language server over a pair of streams (stdin/stdout in the product, pipes in tests), against any
/// <see cref="IRefineEngine"/>. <see cref="RunAsync"/> serves until <c>exit</c> or the end of input and returns the
/// process exit code. Incoming messages are dispatched one at a time in arrival order up to their first await
/// (so text changes apply in order); long work continues concurrently.
/// </summary>
public sealed class LanguageServerHost
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly IRefineEngine _engine;
    private readonly ILoggerFactory _loggerFactory;
    private readonly LanguageServerOptions _options;

    public LanguageServerHost(Stream input, Stream output, IRefineEngine engine, ILoggerFactory loggerFactory, LanguageServerOptions? options = null)
    {
        _input = input;
        _output = output;
        _engine = engine;
        _loggerFactory = loggerFactory;
        _options = options ?? new LanguageServerOptions();
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var logger = _loggerFactory.CreateLogger<LanguageServerHost>();
        var gate = new LifecycleGate();
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions(LspJson.Options) };
        using var handler = new LspMessageHandler(_input, _output, formatter, gate, _options.MaxMessageBytes, _loggerFactory.CreateLogger<LspMessageHandler>());
        using var rpc = LspJsonRpc.Create(handler, _loggerFactory);

        var state = new ServerState(gate);
        var client = new ClientConnection(rpc, _loggerFactory.CreateLogger<ClientConnection>());
        using var background = new BackgroundWork(_loggerFactory.CreateLogger<BackgroundWork>());
        var lifetime = new ServerLifetime();
        var runningTasks = new RunningTasks();
        var documents = new DocumentStore(_loggerFactory.CreateLogger<DocumentStore>());
        var settings = new SettingsService(_engine, state, () => client, _loggerFactory.CreateLogger<SettingsService>());
        var workspace = new WorkspaceFolderLoader(_engine, state, () => client, _loggerFactory.CreateLogger<WorkspaceFolderLoader>());
        using var fixIts = new FixItWorker(_engine, documents, state, client, settings, _loggerFactory.CreateLogger<FixItWorker>());
        var engineDocuments = new EngineDocuments(_engine, fixIts, _loggerFactory.CreateLogger<EngineDocuments>());
        var runner = new RefineCommandRunner(_engine, documents, state, client, new TraceChannel(state, client), runningTasks, settings, background,
            fixIts, _loggerFactory.CreateLogger<RefineCommandRunner>());

        // Every handler, one per LSP method: adding a method is one class and one line here.
        new HandlerRegistry(rpc, _loggerFactory.CreateLogger<HandlerRegistry>())
            .Add(new InitializeHandler(state, documents, settings, _engine))
            .Add(new InitializedHandler(background, settings, workspace, fixIts,
                new WatchedFilesRegistration(state, client, _loggerFactory.CreateLogger<WatchedFilesRegistration>())))
            .Add(new ShutdownHandler(state, runningTasks, background))
            .Add(new ExitHandler(state, lifetime))
            .Add(new SetTraceHandler(state, _loggerFactory.CreateLogger<SetTraceHandler>()))
            .Add(new DidOpenHandler(documents, engineDocuments))
            .Add(new DidChangeHandler(documents, engineDocuments, client, _loggerFactory.CreateLogger<DidChangeHandler>()))
            .Add(new DidSaveHandler(_loggerFactory.CreateLogger<DidSaveHandler>()))
            .Add(new DidCloseHandler(documents, engineDocuments, _loggerFactory.CreateLogger<DidCloseHandler>()))
            .Add(new CodeActionHandler(_engine, documents, state, fixIts))
            .Add(new CodeActionResolveHandler())
            .Add(new ExecuteCommandHandler(runningTasks, runner))
            .Add(new WorkDoneProgressCancelHandler(runningTasks, workspace, _loggerFactory.CreateLogger<WorkDoneProgressCancelHandler>()))
            .Add(new DidChangeConfigurationHandler(background, settings))
            .Add(new DidChangeWatchedFilesHandler(_engine, fixIts,
                new WorkspaceReloader(_engine, state, client, background, fixIts, _loggerFactory.CreateLogger<WorkspaceReloader>()),
                _loggerFactory.CreateLogger<DidChangeWatchedFilesHandler>()))
            .Add(new DidChangeWorkspaceFoldersHandler(_engine, client, background, workspace, fixIts))
            .Add(new MemoryReportHandler())
            .Add(new DocumentDiagnosticsHandler(_engine, documents, state));

        rpc.StartListening();
        logger.LogInformation("Serving LSP");
        using var cancelled = new CancellationTokenSource();
        await using var registration = cancellationToken.Register(() => lifetime.Exit(1));
        var finished = await Task.WhenAny(rpc.Completion, lifetime.ExitCode).ConfigureAwait(false);
        if (finished == rpc.Completion && rpc.Completion.IsFaulted)
        {
            logger.LogError(rpc.Completion.Exception, "The connection failed");
        }

        runningTasks.CancelAll();
        background.CancelAll();
        fixIts.Dispose();
        var exitCode = lifetime.ExitCode.IsCompleted ? await lifetime.ExitCode.ConfigureAwait(false) : gate.IsShutdownRequested ? 0 : 1;
        logger.LogInformation("Exiting with code {ExitCode}", exitCode);
        return exitCode;
    }
}
