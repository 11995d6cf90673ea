namespace OCI.LanguageServer.Server;

/// <summary>Limits of one server instance.</summary>
public sealed record LanguageServerOptions
{
    /// <summary>Messages with a larger Content-Length are skipped and answered -32600 (a 10 MB source file still fits).</summary>
    public long MaxMessageBytes { get; init; } = 64L * 1024 * 1024;
}
