using Microsoft.Extensions.AI;

namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>
/// The model behind one <see cref="ScriptedOpenAIServer"/> for a whole test class: each test puts in its own
/// <see cref="ScriptedChatClient"/>, so one server process (configured once with the endpoint) serves every test.
/// </summary>
public sealed class SwappableChatClient : IChatClient
{
    private volatile ScriptedChatClient _current = new(Array.Empty<string>());

    public ScriptedChatClient Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _current.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _current.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
