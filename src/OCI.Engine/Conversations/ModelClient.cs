using Microsoft.Extensions.AI;
using OCI.Models;

namespace OCI.Engine.Conversations;

/// <summary>
/// The configured model, loaded once per settings and kept (a GGUF takes seconds and gigabytes to load), with the
/// problem it last had and the one line a status bar shows. The engine asks it for a client per task; everything model
/// specific stays behind <see cref="IChatClient"/> (the server knows nothing of LLamaSharp).
/// </summary>
internal sealed class ModelClient(Func<ModelSettings, IChatClient?> factory) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChatClient? _client;
    private ModelSettings? _clientSettings;
    private volatile string? _problem;

    /// <summary>Why the configured model could not be used the last time it was needed (null when it could, or was not tried).</summary>
    public string? Problem
    {
        get => _problem;
        set => _problem = value;
    }

    public string Status(ModelSettings model, int candidatesPerRound)
    {
        if (_problem is { } problem) return "model error: " + problem;
        return model.Backend switch
        {
            ModelBackend.None => "no model configured",
            ModelBackend.LlamaSharp => $"{model.DisplayName() ?? "no GGUF path set"} · LlamaSharp {(model.GpuLayers > 0 ? "GPU" : "CPU")}{ModelCapacity.Describe(_client, model, candidatesPerRound)}",
            ModelBackend.OpenAI => $"{model.DisplayName() ?? "model"} · {model.Endpoint ?? "no endpoint set"}",
            _ => model.Backend.ToString(),
        };
    }

    /// <summary>The client for <paramref name="settings"/> (loaded now if the settings changed), or null when no model is configured.</summary>
    public async Task<IChatClient?> GetAsync(ModelSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Backend == ModelBackend.None) return null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is not null && _clientSettings == settings) return _client;
            _client?.Dispose();
            _client = null;
            _clientSettings = null;
            // Loading a GGUF takes seconds and gigabytes: off the caller's thread, once per settings.
            var client = await Task.Run(() => factory(settings), cancellationToken).ConfigureAwait(false);
            _client = client;
            _clientSettings = settings;
            _problem = null;
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static ChatOptions Options(ModelSettings model, ModelPriority priority) => new ChatOptions
    {
        Temperature = model.Temperature,
        TopP = model.TopP,
        Seed = model.Seed,
        MaxOutputTokens = model.MaxTokens,
    }.WithPriority(priority);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
