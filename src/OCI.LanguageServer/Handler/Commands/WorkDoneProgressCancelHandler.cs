using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Handler.Workspace;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary><c>window/workDoneProgress/cancel</c>: the user pressed Cancel on a task's progress.</summary>
internal sealed class WorkDoneProgressCancelHandler(RunningTasks runningTasks, WorkspaceFolderLoader workspace, ILogger<WorkDoneProgressCancelHandler> logger)
    : INotificationHandler<WorkDoneProgressCancelHandler, WorkDoneProgressCancelParams>
{
    public static string Method => LspMethods.WorkDoneProgressCancel;

    public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

    public void Handle(WorkDoneProgressCancelParams parameters)
    {
        if (!runningTasks.CancelByProgressToken(parameters.Token) && !workspace.CancelByProgressToken(parameters.Token))
        {
            logger.LogDebug("No running work has progress token {Token}", parameters.Token.GetRawText());
        }
    }
}
