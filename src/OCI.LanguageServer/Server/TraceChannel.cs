using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Server;

/// <summary><c>$/logTrace</c> to the client, at the level the client set with <c>$/setTrace</c> (or initialize's trace).</summary>
internal sealed class TraceChannel(ServerState state, ClientConnection client)
{
    public Task LogAsync(string message, string? verbose = null) => state.Trace switch
    {
        TraceValues.Messages => client.NotifyAsync(LspMethods.LogTrace, new LogTraceParams(message)),
        TraceValues.Verbose => client.NotifyAsync(LspMethods.LogTrace, new LogTraceParams(message, verbose)),
        _ => Task.CompletedTask,
    };
}
