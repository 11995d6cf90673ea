using System.Reflection;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary>
/// <c>initialize</c>: remembers the client's capabilities, negotiates the position encoding (UTF-8 when the client
/// offers it, else the UTF-16 default), applies <c>initializationOptions</c> and opens the gate. It never waits on the
/// workspace: loading starts after <c>initialized</c> (the settings pulled then may choose what to load), but when there
/// is a folder to load the engine starts preparing for it now (MSBuild registration, Roslyn's services, the compiler's JIT).
/// </summary>
internal sealed class InitializeHandler(ServerState state, DocumentStore documents, SettingsService settings, OCI.Engine.IRefineEngine engine)
    : IRequestHandler<InitializeHandler, InitializeParams, InitializeResult>
{
    public static string Method => LspMethods.Initialize;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public async Task<InitializeResult> HandleAsync(InitializeParams parameters, CancellationToken cancellationToken)
    {
        if (state.InitializeParams is not null)
        {
            throw LspErrors.InvalidRequest("The server is already initialized.");
        }
        state.InitializeParams = parameters;
        var offered = parameters.Capabilities.General?.PositionEncodings ?? [];
        var encoding = offered.Contains(PositionEncodingKind.Utf8, StringComparer.Ordinal) ? PositionEncoding.Utf8 : PositionEncoding.Utf16;
        state.PositionEncoding = encoding;
        documents.Encoding = encoding;
        if (TraceValues.IsValid(parameters.Trace))
        {
            state.Trace = parameters.Trace!;
        }

        if (Workspace.WorkspaceFolderLoader.FindRoots(parameters).Count > 0) engine.PrepareToOpenWorkspace();
        await settings.ApplyInitializationOptionsAsync(parameters.InitializationOptions).ConfigureAwait(false);
        state.Gate.MarkInitialized();

        return new InitializeResult(
            new ServerCapabilities
            {
                PositionEncoding = encoding == PositionEncoding.Utf8 ? PositionEncodingKind.Utf8 : PositionEncodingKind.Utf16,
                TextDocumentSync = new TextDocumentSyncOptions(OpenClose: true, TextDocumentSyncKind.Incremental, new SaveOptions(IncludeText: false)),
                CodeActionProvider = new CodeActionOptions([CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], ResolveProvider: true),
                ExecuteCommandProvider = new ExecuteCommandOptions(OciCommands.All),
                Workspace = new WorkspaceServerCapabilities(new WorkspaceFoldersServerCapabilities(Supported: true, ChangeNotifications: true)),
            },
            new ServerInfo("OCI.LanguageServer", ServerVersion));
    }

    private static string? ServerVersion { get; } =
        typeof(InitializeHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
