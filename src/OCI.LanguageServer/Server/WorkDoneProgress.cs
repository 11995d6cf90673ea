using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Server;

/// <summary>
/// One work-done progress: created on the client (<c>window/workDoneProgress/create</c>) or given by the client's
/// request, then begin → report* → end over <c>$/progress</c>. Notifications go out strictly in order through a serial
/// queue, because reports arrive from engine threads. Without client support every call is a no-op.
/// </summary>
internal sealed class WorkDoneProgress : IAsyncDisposable
{
    private readonly ClientConnection _client;
    private readonly object _gate = new();
    private Task _tail = Task.CompletedTask;
    private bool _ended;

    private WorkDoneProgress(ClientConnection client, JsonElement? token)
    {
        _client = client;
        Token = token;
    }

    /// <summary>Null when the client gets no progress for this work.</summary>
    public JsonElement? Token { get; }

    public static async Task<WorkDoneProgress> CreateAsync(
        ClientConnection client, ServerState state, JsonElement? clientToken, ILogger logger, CancellationToken cancellationToken)
    {
        if (clientToken is { ValueKind: JsonValueKind.String or JsonValueKind.Number })
        {
            return new WorkDoneProgress(client, clientToken);
        }
        if (!state.ClientSupportsWorkDoneProgress)
        {
            return new WorkDoneProgress(client, null);
        }
        var token = JsonSerializer.SerializeToElement("oci-" + Guid.NewGuid().ToString("N"));
        try
        {
            await client.RequestAsync<JsonElement?>(LspMethods.WorkDoneProgressCreate, new WorkDoneProgressCreateParams(token), cancellationToken).ConfigureAwait(false);
            return new WorkDoneProgress(client, token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("The client refused window/workDoneProgress/create: {Message}", ex.Message);
            return new WorkDoneProgress(client, null);
        }
    }

    public void Begin(string title, string? message, bool cancellable) =>
        Enqueue(new WorkDoneProgressBegin(title, cancellable, message));

    public void Report(string message, int? percentage = null) => Enqueue(new WorkDoneProgressReport(message, percentage));

    public Task EndAsync(string? message)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return _tail;
            }
            Enqueue(new WorkDoneProgressEnd(message));
            _ended = true;
            return _tail;
        }
    }

    private void Enqueue(object value)
    {
        if (Token is not { } token)
        {
            return;
        }
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
            var parameters = new ProgressParams(token, value);
            _tail = _tail.ContinueWith(_ => _client.NotifyAsync(LspMethods.Progress, parameters), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    public async ValueTask DisposeAsync() => await EndAsync(null).ConfigureAwait(false);
}
