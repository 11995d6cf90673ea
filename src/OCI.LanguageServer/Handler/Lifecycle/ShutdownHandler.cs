using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>shutdown</c>: cancels running tasks and background work; the gate already refuses further requests.</summary>
[LspMethod("shutdown")]
internal sealed class ShutdownHandler(LspServices services)
{
    public Task<object?> HandleAsync(CancellationToken cancellationToken)
    {
        services.State.ShutdownRequested = true;
        services.RunningTasks.CancelAll();
        services.Background.CancelAll();
        return Task.FromResult<object?>(null);
    }
}
