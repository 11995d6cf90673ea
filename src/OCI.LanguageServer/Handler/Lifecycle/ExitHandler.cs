using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>exit</c>: ends the process, with code 0 when <c>shutdown</c> came first and 1 otherwise (LSP's rule).</summary>
internal sealed class ExitHandler(ServerState state, ServerLifetime lifetime) : INotificationHandler<ExitHandler, NoParams>
{
    public static string Method => LspMethods.Exit;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public static NoParams WhenMissing => NoParams.Value;

    public void Handle(NoParams parameters) => lifetime.Exit(state.Gate.IsShutdownRequested ? 0 : 1);
}
