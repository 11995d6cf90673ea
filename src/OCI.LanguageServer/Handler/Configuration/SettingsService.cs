using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;
using OCI.Models;
using OCI.Workspace.Processes;

namespace OCI.LanguageServer.Handler.Configuration;

/// <summary>
/// The one place settings come in: <c>initializationOptions</c>, the <c>workspace/configuration</c> pull and
/// <c>workspace/didChangeConfiguration</c>. Valid settings go to the engine and are announced with <c>oci/status</c>;
/// invalid ones are shown to the user and the previous settings stay.
/// </summary>
internal sealed class SettingsService
{
    private readonly IRefineEngine _engine;
    private readonly ServerState _state;
    private readonly Func<ClientConnection> _client;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private string? _engineProblem;

    public SettingsService(IRefineEngine engine, ServerState state, Func<ClientConnection> client, ILogger logger)
    {
        _engine = engine;
        _state = state;
        _client = client;
        _logger = logger;
    }

    public OciSettings Current { get; private set; } = new();

    public Task ApplyInitializationOptionsAsync(JsonElement? options) =>
        options is { ValueKind: JsonValueKind.Object } value
            ? ApplyAsync(Unwrap(value), "initializationOptions", announce: false)
            : Task.CompletedTask;

    /// <summary>Pulls section <c>oci</c> when the client supports it; a null answer keeps the current settings.</summary>
    public async Task PullAsync(CancellationToken cancellationToken)
    {
        if (!_state.ClientSupportsConfiguration)
        {
            return;
        }
        JsonElement answer;
        try
        {
            answer = await _client().ConfigurationAsync(new ConfigurationParams([new ConfigurationItem(Section: "oci")]), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("workspace/configuration failed: {Message}", ex.Message);
            return;
        }
        if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() == 0)
        {
            await ReportAsync("the answer to workspace/configuration is not an array with one item").ConfigureAwait(false);
            return;
        }
        var section = answer[0];
        if (section.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        await ApplyAsync(section, LspMethods.Configuration, announce: true).ConfigureAwait(false);
    }

    public async Task OnDidChangeAsync(JsonElement? settings, CancellationToken cancellationToken)
    {
        if (_state.ClientSupportsConfiguration)
        {
            await PullAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (settings is { ValueKind: JsonValueKind.Object } value)
        {
            await ApplyAsync(Unwrap(value), LspMethods.DidChangeConfiguration, announce: true).ConfigureAwait(false);
        }
    }

    public async Task SendStatusAsync()
    {
        var model = Current.Model;
        var backend = model.Backend switch
        {
            ModelBackend.LlamaSharp => "llamaSharp",
            ModelBackend.OpenAI => "openAI",
            _ => "none",
        };
        var problem = _engineProblem ?? model.FileProblem() ?? _engine.ModelProblem;
        var state = problem is not null ? "error" : model.Backend == ModelBackend.None ? "none" : "ready";
        var name = model.DisplayName();
        string message;
        try
        {
            message = problem ?? _engine.ModelStatus;
        }
        catch (Exception ex)
        {
            message = ex.Message;
            state = "error";
        }
        // The sandbox is probed once per bwrap path (a few milliseconds); the status says plainly when there is none.
        var sandbox = ProcessSandbox.Create(Current.Verification.Sandbox, Current.Verification.BubblewrapPath);
        var sandboxKind = sandbox.IsActive ? "bubblewrap" : sandbox.Refusal is not null ? "refused" : sandbox.Mode == SandboxMode.Off ? "off" : "none";
        if (!sandbox.IsActive) message = $"{message} · {sandbox.Status}";
        await _client().NotifyAsync(OciMethods.Status, new OciStatusParams(state, backend, name, message, sandboxKind, sandbox.Status)).ConfigureAwait(false);
    }

    private async Task ApplyAsync(JsonElement section, string source, bool announce)
    {
        await _applyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!SettingsParser.TryParse(section, out var settings, out var problem))
            {
                await ReportAsync(problem!).ConfigureAwait(false);
                return;
            }
            try
            {
                _engine.UpdateSettings(settings);
                _engineProblem = null;
                Current = settings;
                _logger.LogInformation("Settings from {Source} applied", source);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "The engine refused the settings from {Source}", source);
                _engineProblem = ex.Message;
                await _client().ShowMessageAsync(MessageType.Error, $"OCI: the settings could not be applied: {ex.Message}").ConfigureAwait(false);
            }
        }
        finally
        {
            _applyLock.Release();
        }
        if (announce)
        {
            await SendStatusAsync().ConfigureAwait(false);
        }
    }

    private Task ReportAsync(string problem) =>
        _client().ShowMessageAsync(MessageType.Error, $"OCI: invalid settings, keeping the previous ones: {problem}");

    /// <summary>Accepts both the section itself and an object that holds it under "oci".</summary>
    private static JsonElement Unwrap(JsonElement value) =>
        value.TryGetProperty("oci", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : value;
}
