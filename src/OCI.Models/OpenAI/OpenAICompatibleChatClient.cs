using System.ClientModel;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace OCI.Models.OpenAI;

/// <summary>
/// Chat over any OpenAI-compatible <c>/v1/chat/completions</c> server (llama-server, Ollama, vLLM), through the
/// OpenAI package and Microsoft.Extensions.AI.OpenAI. Adds what the editor needs on top: a per-try timeout, retries
/// of transient failures, and every failure turned into one <see cref="ModelException"/> line naming the endpoint.
/// Cancelling the token aborts the HTTP request (the connection is closed).
/// </summary>
public sealed class OpenAICompatibleChatClient : DelegatingChatClient
{
    /// <summary>Sent as the bearer token to servers that need none (the OpenAI client insists on one).</summary>
    public const string PlaceholderApiKey = "no-key";

    private readonly OpenAIRetryPolicy _retryPolicy;
    private readonly ILogger _logger;

    private OpenAICompatibleChatClient(IChatClient inner, Uri endpoint, string modelName, TimeSpan timeout, int maxRetries, OpenAIRetryPolicy retryPolicy, ILogger logger)
        : base(inner)
    {
        Endpoint = endpoint;
        ModelName = modelName;
        Timeout = timeout;
        MaxRetries = maxRetries;
        _retryPolicy = retryPolicy;
        _logger = logger;
    }

    public Uri Endpoint { get; }

    public string ModelName { get; }

    public TimeSpan Timeout { get; }

    public int MaxRetries { get; }

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public int RequestsSent => _retryPolicy.Tries;

    /// <summary>Validates the settings and builds the client; nothing is sent until the first request.</summary>
    public static OpenAICompatibleChatClient Create(ModelSettings settings, ILoggerFactory loggerFactory) =>
        Create(settings, loggerFactory, TimeSpan.FromSeconds(1));

    internal static OpenAICompatibleChatClient Create(ModelSettings settings, ILoggerFactory loggerFactory, TimeSpan firstRetryDelay)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (string.IsNullOrWhiteSpace(settings.Endpoint))
        {
            throw new ModelException("No endpoint configured: set oci.model.endpoint to the server's base URL, e.g. http://127.0.0.1:8080/v1.");
        }
        if (!ModelSettings.IsHttpUrl(settings.Endpoint))
        {
            throw new ModelException($"oci.model.endpoint '{settings.Endpoint}' is not an http:// or https:// URL.");
        }
        var endpoint = new Uri(settings.Endpoint, UriKind.Absolute);
        var apiKey = PlaceholderApiKey;
        if (!string.IsNullOrWhiteSpace(settings.ApiKeyEnvironmentVariable))
        {
            apiKey = Environment.GetEnvironmentVariable(settings.ApiKeyEnvironmentVariable) ?? string.Empty;
            if (apiKey.Length == 0)
            {
                throw new ModelException(
                    $"The API key variable {settings.ApiKeyEnvironmentVariable} (oci.model.apiKeyEnvironmentVariable) is not set in the server's environment.");
            }
        }
        if (settings.RequestTimeoutSeconds <= 0) throw new ModelException("oci.model.requestTimeoutSeconds must be positive.");
        var modelName = string.IsNullOrWhiteSpace(settings.ModelName) ? "default" : settings.ModelName;
        var timeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds);
        var maxRetries = Math.Max(0, settings.MaxRetries);
        var retryPolicy = new OpenAIRetryPolicy(maxRetries, firstRetryDelay);
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = timeout,
            RetryPolicy = retryPolicy,
        };
        var inner = new OpenAIClient(new ApiKeyCredential(apiKey), options).GetChatClient(modelName).AsIChatClient();
        var logger = loggerFactory.CreateLogger<OpenAICompatibleChatClient>();
        logger.LogInformation("Model: OpenAI-compatible endpoint {Endpoint}, model {Model}, timeout {Timeout}s, {Retries} retries",
            endpoint, modelName, settings.RequestTimeoutSeconds, maxRetries);
        return new OpenAICompatibleChatClient(inner, endpoint, modelName, timeout, maxRetries, retryPolicy, logger);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, WithoutConversationId(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, WithoutConversationId(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (await MoveNextAsync(updates, cancellationToken).ConfigureAwait(false))
            {
                yield return updates.Current;
            }
        }
    }

    private async Task<bool> MoveNextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, CancellationToken cancellationToken)
    {
        try
        {
            return await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <summary>
    /// Chat completions are stateless: the conversation id is ours (it keys LLamaSharp's KV cache), and the OpenAI
    /// adapter would otherwise treat it as a server-side thread id. The whole history is sent every turn.
    /// </summary>
    private static ChatOptions? WithoutConversationId(ChatOptions? options)
    {
        if (options?.ConversationId is null) return options;
        var copy = options.Clone();
        copy.ConversationId = null;
        return copy;
    }

    /// <summary>One clear line for the editor; null leaves the exception as it is (the caller's own cancellation).</summary>
    private ModelException? Translate(Exception e, CancellationToken cancellationToken)
    {
        if (e is ModelException) return null;
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) return null;
        var tries = MaxRetries > 0 ? $" (tried {MaxRetries + 1} times)" : string.Empty;
        ModelException error = e switch
        {
            OperationCanceledException or TimeoutException =>
                new ModelException($"no answer from {Endpoint} within {Timeout.TotalSeconds:0.#} s{tries}", e),
            ClientResultException { Status: 401 or 403 } r =>
                new ModelException($"{Endpoint} refused the API key (HTTP {r.Status}): {ErrorText(r)}", e),
            ClientResultException { Status: > 0 } r =>
                new ModelException($"{Endpoint} answered HTTP {r.Status}{tries}: {ErrorText(r)}", e),
            _ when FindSocketError(e) is { } socket =>
                new ModelException($"cannot reach {Endpoint} : {Describe(socket)}", e),
            _ when e.GetBaseException() is TimeoutException =>
                new ModelException($"no answer from {Endpoint} within {Timeout.TotalSeconds:0.#} s{tries}", e),
            ClientResultException or HttpRequestException or IOException =>
                new ModelException($"cannot reach {Endpoint} : {FirstLine(e.GetBaseException().Message)}", e),
            _ => new ModelException($"request to {Endpoint} failed: {FirstLine(e.Message)}", e),
        };
        _logger.LogWarning(e, "{Message}", error.Message);
        return error;
    }

    /// <summary>The server's own error message (OpenAI's {"error":{"message":…}} or the body's first line).</summary>
    private static string ErrorText(ClientResultException e)
    {
        string? body = null;
        try
        {
            body = e.GetRawResponse()?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // A streamed body that was not buffered.
        }
        if (string.IsNullOrWhiteSpace(body)) return FirstLine(e.Message);
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                json.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == System.Text.Json.JsonValueKind.String) return FirstLine(error.GetString() ?? body);
                if (error.ValueKind == System.Text.Json.JsonValueKind.Object && error.TryGetProperty("message", out var message))
                {
                    return FirstLine(message.GetString() ?? body);
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return FirstLine(body);
    }

    private static SocketException? FindSocketError(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket) return socket;
        }
        return null;
    }

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
        SocketError.ConnectionReset => "connection reset by the server",
        _ => socket.Message,
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
