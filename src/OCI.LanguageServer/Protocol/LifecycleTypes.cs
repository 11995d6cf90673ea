using System.Text.Json;

namespace OCI.LanguageServer.Protocol;

public sealed record ClientInfo(string Name, string? Version = null);

public sealed record InitializeParams
{
    public int? ProcessId { get; init; }
    public ClientInfo? ClientInfo { get; init; }
    public string? Locale { get; init; }
    public string? RootPath { get; init; }
    public string? RootUri { get; init; }
    public JsonElement? InitializationOptions { get; init; }
    public ClientCapabilities Capabilities { get; init; } = new();
    public string? Trace { get; init; }
    public IReadOnlyList<WorkspaceFolder>? WorkspaceFolders { get; init; }
}

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo? ServerInfo);

public sealed record ServerInfo(string Name, string? Version);

public sealed record InitializedParams;

public sealed record SetTraceParams(string Value);

public sealed record LogTraceParams(string Message, string? Verbose = null);

/// <summary>Values of <c>TraceValue</c>.</summary>
public static class TraceValues
{
    public const string Off = "off";
    public const string Messages = "messages";
    public const string Verbose = "verbose";

    public static bool IsValid(string? value) => value is Off or Messages or Verbose;
}

/// <summary>Values of <c>PositionEncodingKind</c>.</summary>
public static class PositionEncodingKind
{
    public const string Utf8 = "utf-8";
    public const string Utf16 = "utf-16";
    public const string Utf32 = "utf-32";
}
