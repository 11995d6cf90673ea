using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>$/setTrace</c>: how much the server reports through <c>$/logTrace</c>.</summary>
[LspMethod("$/setTrace")]
internal sealed class SetTraceHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<SetTraceHandler>();

    public void Handle(SetTraceParams? parameters)
    {
        if (parameters is null || !TraceValues.IsValid(parameters.Value))
        {
            _logger.LogWarning("Ignored $/setTrace with value {Value}", parameters?.Value);
            return;
        }
        services.State.Trace = parameters.Value;
    }
}
