using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Handler.Workspace;

namespace OCI.LanguageServer.Server;

/// <summary>The shared parts of one server instance that handlers are built from.</summary>
internal sealed record LspServices(
    IRefineEngine Engine,
    DocumentStore Documents,
    ServerState State,
    ClientConnection Client,
    TraceChannel Trace,
    RunningTasks RunningTasks,
    BackgroundWork Background,
    ServerLifetime Lifetime,
    SettingsService Settings,
    WorkspaceLoader Workspace,
    Handler.FixIts.FixItWorker FixIts,
    ILoggerFactory LoggerFactory);
