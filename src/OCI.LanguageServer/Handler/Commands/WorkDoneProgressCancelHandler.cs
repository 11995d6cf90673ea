using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary><c>window/workDoneProgress/cancel</c>: the user pressed Cancel on a task's progress.</summary>
[LspMethod("window/workDoneProgress/cancel")]
internal sealed class WorkDoneProgressCancelHandler(LspServices services)
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<WorkDoneProgressCancelHandler>();

    public void Handle(WorkDoneProgressCancelParams? parameters)
    {
        if (parameters is null)
        {
            return;
        }
        if (!services.RunningTasks.CancelByProgressToken(parameters.Token) && !services.Workspace.CancelByProgressToken(parameters.Token))
        {
            _logger.LogDebug("No running work has progress token {Token}", parameters.Token.GetRawText());
        }
    }
}
