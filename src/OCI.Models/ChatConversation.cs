using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;

namespace OCI.Models;

/// <summary>One model turn: the reply text, the tokens the backend reported, and how long it took.</summary>
public sealed record ChatTurn(string Text, long InputTokens, long OutputTokens, TimeSpan Elapsed);

/// <summary>
/// A running conversation with a chat model: the handle the refine loop appends feedback turns to. Every request
/// carries the same <see cref="ChatOptions.ConversationId"/>, so a backend that keeps state (LLamaSharp's KV cache)
/// can evaluate only the new turn instead of the whole history.
/// </summary>
public sealed class ChatConversation
{
    private readonly IChatClient _client;
    private readonly ChatOptions _options;
    private readonly List<ChatMessage> _messages = [];

    public ChatConversation(IChatClient client, string? systemPrompt = null, ChatOptions? options = null, string? id = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        Id = id ?? Guid.NewGuid().ToString("N");
        _options = options?.Clone() ?? new ChatOptions();
        _options.ConversationId = Id;
        if (!string.IsNullOrEmpty(systemPrompt)) _messages.Add(new ChatMessage(ChatRole.System, systemPrompt));
    }

    public string Id { get; }

    public IReadOnlyList<ChatMessage> Messages => _messages;

    /// <summary>Sends a user turn, streams the reply to <paramref name="onText"/>, and appends both to the history.</summary>
    public async Task<ChatTurn> SendAsync(string userText, IProgress<string>? onText, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        _messages.Add(new ChatMessage(ChatRole.User, userText));
        var reply = new StringBuilder();
        long inputTokens = 0, outputTokens = 0;
        try
        {
            await foreach (var update in _client.GetStreamingResponseAsync(_messages, _options, cancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(update.Text))
                {
                    reply.Append(update.Text);
                    onText?.Report(update.Text);
                }
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    inputTokens += usage.Details.InputTokenCount ?? 0;
                    outputTokens += usage.Details.OutputTokenCount ?? 0;
                }
            }
        }
        catch
        {
            // A failed or cancelled turn leaves the history as it was before the turn.
            _messages.RemoveAt(_messages.Count - 1);
            throw;
        }
        _messages.Add(new ChatMessage(ChatRole.Assistant, reply.ToString()));
        return new ChatTurn(reply.ToString(), inputTokens, outputTokens, stopwatch.Elapsed);
    }
}
