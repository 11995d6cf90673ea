using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary><c>workspace/executeCommand</c>: <c>oci.cancel</c> here, the four refine commands in <see cref="RefineCommandRunner"/>.</summary>
internal sealed class ExecuteCommandHandler(RunningTasks runningTasks, RefineCommandRunner runner)
    : IRequestHandler<ExecuteCommandHandler, ExecuteCommandParams, object?>
{
    public static string Method => LspMethods.ExecuteCommand;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public async Task<object?> HandleAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        if (parameters.Command == OciCommands.Cancel)
        {
            var cancelled = runningTasks.CancelAll();
            return new { cancelled };
        }
        if (RefineCommands.KindFor(parameters.Command) is not { } kind)
        {
            throw LspErrors.InvalidParams($"Unknown command '{parameters.Command}'. This server runs: {string.Join(", ", OciCommands.All)}.");
        }
        var arguments = RefineCommands.ParseArguments(parameters.Command, kind, parameters.Arguments);
        return await runner.RunAsync(kind, arguments, parameters.WorkDoneToken, cancellationToken).ConfigureAwait(false);
    }
}
