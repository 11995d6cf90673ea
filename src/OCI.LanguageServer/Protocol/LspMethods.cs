namespace OCI.LanguageServer.Protocol;

/// <summary>
/// The LSP 3.17 method names the server handles or sends, spelled once: the handlers' <c>Method</c>, the client
/// connection and the test client (tests/OCI.Testing compiles this file too, which is why it is internal) use these.
/// The server's own methods are <c>OciMethods</c>.
/// </summary>
internal static class LspMethods
{
    // Lifecycle
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string SetTrace = "$/setTrace";
    public const string LogTrace = "$/logTrace";
    public const string Progress = "$/progress";

    // Text synchronisation
    public const string DidOpen = "textDocument/didOpen";
    public const string DidChange = "textDocument/didChange";
    public const string DidClose = "textDocument/didClose";
    public const string DidSave = "textDocument/didSave";

    // Language features
    public const string CodeAction = "textDocument/codeAction";
    public const string CodeActionResolve = "codeAction/resolve";

    // Workspace
    public const string ExecuteCommand = "workspace/executeCommand";
    public const string DidChangeConfiguration = "workspace/didChangeConfiguration";
    public const string DidChangeWatchedFiles = "workspace/didChangeWatchedFiles";
    public const string DidChangeWorkspaceFolders = "workspace/didChangeWorkspaceFolders";
    public const string Configuration = "workspace/configuration";
    public const string ApplyEdit = "workspace/applyEdit";
    public const string RegisterCapability = "client/registerCapability";

    // Window
    public const string ShowMessage = "window/showMessage";
    public const string LogMessage = "window/logMessage";
    public const string WorkDoneProgressCreate = "window/workDoneProgress/create";
    public const string WorkDoneProgressCancel = "window/workDoneProgress/cancel";
}
