using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary><c>workspace/executeCommand</c>: <c>oci.cancel</c> here, the four refine commands in <see cref="RefineCommandRunner"/>.</summary>
[LspMethod("workspace/executeCommand")]
internal sealed class ExecuteCommandHandler(LspServices services)
{
    private readonly RefineCommandRunner _runner = new(services);

    public async Task<object?> HandleAsync(ExecuteCommandParams? parameters, CancellationToken cancellationToken)
    {
        parameters = LspErrors.Require(parameters, "workspace/executeCommand");
        if (parameters.Command == OciCommands.Cancel)
        {
            var cancelled = services.RunningTasks.CancelAll();
            return new { cancelled };
        }
        if (RefineCommands.KindFor(parameters.Command) is not { } kind)
        {
            throw LspErrors.InvalidParams($"Unknown command '{parameters.Command}'. This server runs: {string.Join(", ", OciCommands.All)}.");
        }
        var arguments = RefineCommands.ParseArguments(parameters.Command, kind, parameters.Arguments);
        return await _runner.RunAsync(kind, arguments, parameters.WorkDoneToken, cancellationToken).ConfigureAwait(false);
    }
}
