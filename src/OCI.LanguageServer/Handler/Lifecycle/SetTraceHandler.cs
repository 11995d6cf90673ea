using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>$/setTrace</c>: how much the server reports through <c>$/logTrace</c>.</summary>
internal sealed class SetTraceHandler(ServerState state, ILogger<SetTraceHandler> logger) : INotificationHandler<SetTraceHandler, SetTraceParams>
{
    public static string Method => LspMethods.SetTrace;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(SetTraceParams parameters)
    {
        if (!TraceValues.IsValid(parameters.Value))
        {
            logger.LogWarning("Ignored $/setTrace with value {Value}", parameters.Value);
            return;
        }
        state.Trace = parameters.Value;
    }
}
