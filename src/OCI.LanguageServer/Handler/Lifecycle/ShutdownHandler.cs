using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>shutdown</c>: cancels running tasks and background work; the gate already refuses further requests.</summary>
internal sealed class ShutdownHandler(ServerState state, RunningTasks runningTasks, BackgroundWork background)
    : IRequestHandler<ShutdownHandler, NoParams, object?>
{
    public static string Method => LspMethods.Shutdown;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public static NoParams WhenMissing => NoParams.Value;

    public Task<object?> HandleAsync(NoParams parameters, CancellationToken cancellationToken)
    {
        state.ShutdownRequested = true;
        runningTasks.CancelAll();
        background.CancelAll();
        return Task.FromResult<object?>(null);
    }
}
