using System.Text.Json;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.CodeActions;

/// <summary>
/// <c>codeAction/resolve</c>: actions are complete when offered (their work happens when the command runs), so this
/// returns the action, restoring its command from <c>data</c> when a client dropped it.
/// </summary>
internal sealed class CodeActionResolveHandler : IRequestHandler<CodeActionResolveHandler, CodeAction, CodeAction>
{
    public static string Method => LspMethods.CodeActionResolve;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public Task<CodeAction> HandleAsync(CodeAction parameters, CancellationToken cancellationToken)
    {
        if (parameters.Command is null && parameters.Data is { ValueKind: JsonValueKind.Object } data)
        {
            try
            {
                var command = data.Deserialize<Command>(LspJson.Options);
                return Task.FromResult(parameters with { Command = command });
            }
            catch (JsonException ex)
            {
                throw LspErrors.InvalidParams($"{Method}: the action's data is not a command: {ex.Message}");
            }
        }
        return Task.FromResult(parameters);
    }
}
