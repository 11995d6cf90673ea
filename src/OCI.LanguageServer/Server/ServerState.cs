using OCI.LanguageServer.Documents;
using OCI.LanguageServer.JsonRpc;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Server;

/// <summary>What the server learned at initialize and what the lifecycle has reached; shared by the handlers.</summary>
internal sealed class ServerState
{
    private volatile string _trace = TraceValues.Off;

    public ServerState(LifecycleGate gate) => Gate = gate;

    public LifecycleGate Gate { get; }

    public InitializeParams? InitializeParams { get; set; }

    public ClientCapabilities Capabilities => InitializeParams?.Capabilities ?? new ClientCapabilities();

    public PositionEncoding PositionEncoding { get; set; } = PositionEncoding.Utf16;

    public string Trace
    {
        get => _trace;
        set => _trace = value;
    }

    public bool ShutdownRequested { get; set; }

    public bool ClientSupportsWorkDoneProgress => Capabilities.Window?.WorkDoneProgress == true;

    public bool ClientSupportsConfiguration => Capabilities.Workspace?.Configuration == true;

    public bool ClientSupportsApplyEdit => Capabilities.Workspace?.ApplyEdit == true;

    public bool ClientSupportsDocumentChanges => Capabilities.Workspace?.WorkspaceEdit?.DocumentChanges == true;

    public bool ClientSupportsCreateFile =>
        Capabilities.Workspace?.WorkspaceEdit?.ResourceOperations?.Contains("create", StringComparer.Ordinal) == true;

    public bool ClientSupportsChangeAnnotations => Capabilities.Workspace?.WorkspaceEdit?.ChangeAnnotationSupport is not null;

    /// <summary>The client asked for <c>oci/fixIts</c> notifications (<c>experimental.ociFixIts: true</c>).</summary>
    public bool ClientWantsFixIts =>
        Capabilities.Experimental is { ValueKind: System.Text.Json.JsonValueKind.Object } experimental
        && experimental.TryGetProperty("ociFixIts", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.True;

    public bool ClientSupportsCodeActionLiterals => Capabilities.TextDocument?.CodeAction?.CodeActionLiteralSupport is not null;
}
