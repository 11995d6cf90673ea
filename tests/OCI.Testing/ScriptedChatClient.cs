using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OCI.Testing;

/// <summary>One scripted reply: used when <see cref="When"/> is null or the last user turn contains it.</summary>
public sealed record ScriptedReply(string Text, string? When = null);

/// <summary>
/// A deterministic chat model for tests of the loop's logic: it replays given replies in order, or picks the first
/// reply whose <see cref="ScriptedReply.When"/> occurs in the last user turn ("when the feedback mentions CS0103,
/// answer with this fix"). It records every request so tests can assert on what the loop sent.
/// Never part of the product: the real backends have their own tests.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly List<ScriptedReply> _replies;
    private readonly object _gate = new();
    private int _next;

    public ScriptedChatClient(params ScriptedReply[] replies) => _replies = [.. replies];

    public ScriptedChatClient(params string[] replies) => _replies = [.. replies.Select(r => new ScriptedReply(r))];

    /// <summary>Every request's messages, in order.</summary>
    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    /// <summary>Delay between streamed chunks (to test cancellation mid-generation).</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Reply when no scripted reply applies.</summary>
    public string Fallback { get; init; } = "I cannot help with that.";

    public string NextReply(IReadOnlyList<ChatMessage> messages)
    {
        lock (_gate)
        {
            Requests.Add([.. messages]);
            var lastUser = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
            var conditional = _replies.FirstOrDefault(r => r.When is not null && lastUser.Contains(r.When, StringComparison.Ordinal));
            if (conditional is not null) return conditional.Text;
            while (_next < _replies.Count)
            {
                var reply = _replies[_next++];
                if (reply.When is null) return reply.Text;
            }
            return Fallback;
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString())) { ConversationId = options?.ConversationId };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var reply = NextReply(list);
        // Stream in small chunks, as a real model would.
        for (var i = 0; i < reply.Length; i += 16)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay, cancellationToken).ConfigureAwait(false);
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Substring(i, Math.Min(16, reply.Length - i)));
        }
        var inputTokens = list.Sum(m => (m.Text?.Length ?? 0) / 4);
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = reply.Length / 4 })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
