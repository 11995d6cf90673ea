using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using StreamJsonRpc;

namespace OCI.LanguageServer.Server;

/// <summary>
/// Messages from the server to the client. Notifications never throw (a client that has gone away only costs a log
/// line); requests throw as StreamJsonRpc does, so callers decide what a failed request means.
/// </summary>
internal sealed class ClientConnection
{
    private readonly StreamJsonRpc.JsonRpc _rpc;
    private readonly ILogger _logger;

    public ClientConnection(StreamJsonRpc.JsonRpc rpc, ILogger logger)
    {
        _rpc = rpc;
        _logger = logger;
    }

    public async Task NotifyAsync(string method, object parameters)
    {
        try
        {
            await _rpc.NotifyWithParameterObjectAsync(method, parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            _logger.LogDebug("Could not send {Method}: {Message}", method, ex.Message);
        }
    }

    public Task<TResult> RequestAsync<TResult>(string method, object parameters, CancellationToken cancellationToken) =>
        _rpc.InvokeWithParameterObjectAsync<TResult>(method, parameters, cancellationToken);

    public Task ShowMessageAsync(MessageType type, string message)
    {
        _logger.Log(type == MessageType.Error ? LogLevel.Error : type == MessageType.Warning ? LogLevel.Warning : LogLevel.Information, "showMessage: {Message}", message);
        return NotifyAsync(LspMethods.ShowMessage, new ShowMessageParams(type, message));
    }

    public Task LogMessageAsync(MessageType type, string message) =>
        NotifyAsync(LspMethods.LogMessage, new LogMessageParams(type, message));

    public async Task<ApplyWorkspaceEditResult> ApplyEditAsync(ApplyWorkspaceEditParams parameters, CancellationToken cancellationToken) =>
        await RequestAsync<ApplyWorkspaceEditResult>(LspMethods.ApplyEdit, parameters, cancellationToken).ConfigureAwait(false);

    public async Task<JsonElement> ConfigurationAsync(ConfigurationParams parameters, CancellationToken cancellationToken) =>
        await RequestAsync<JsonElement>(LspMethods.Configuration, parameters, cancellationToken).ConfigureAwait(false);
}
