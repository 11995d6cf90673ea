using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using OCI.Models.Candidates;

namespace OCI.Models;

/// <summary>One model turn: the reply text, the tokens the backend reported, and how long it took.</summary>
public sealed record ChatTurn(string Text, long InputTokens, long OutputTokens, TimeSpan Elapsed)
{
    /// <summary>Prompt tokens the backend took from its KV cache instead of evaluating (LLamaSharp; null elsewhere).</summary>
    public long? ReusedPromptTokens { get; init; }

    /// <summary>Prompt tokens the backend actually evaluated this turn (LLamaSharp; null elsewhere).</summary>
    public long? EvaluatedPromptTokens { get; init; }

    /// <summary>Why generation ended (stop, length), when the backend said.</summary>
    public ChatFinishReason? FinishReason { get; init; }
}

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
    private readonly SemaphoreSlim _turn = new(1, 1);

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

    /// <summary>
    /// Sends a user turn, streams the reply to <paramref name="onText"/>, and appends both to the history. Turns are
    /// taken one at a time (a second call waits for the first), since each extends the history the first produces.
    /// </summary>
    public async Task<ChatTurn> SendAsync(string userText, IProgress<string>? onText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userText);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendOneAsync(userText, onText, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Asks for <paramref name="count"/> candidate replies to one user turn (the prompt evaluated once where the backend
    /// can), yielded as each completes. The history is not changed: the caller keeps the chosen one with
    /// <see cref="Keep"/>, and leaving the enumeration early cancels the candidates still being written.
    /// </summary>
    public IAsyncEnumerable<CandidateReply> AskCandidatesAsync(string userText, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userText);
        List<ChatMessage> messages = [.. _messages, new ChatMessage(ChatRole.User, userText)];
        return _client.GetCandidatesAsync(messages, count, _options, cancellationToken);
    }

    /// <summary>Appends a user turn and the candidate reply chosen for it (after <see cref="AskCandidatesAsync"/>).</summary>
    public ChatTurn Keep(string userText, CandidateReply reply)
    {
        ArgumentNullException.ThrowIfNull(userText);
        ArgumentNullException.ThrowIfNull(reply);
        _messages.Add(new ChatMessage(ChatRole.User, userText));
        _messages.Add(new ChatMessage(ChatRole.Assistant, reply.Text));
        return new ChatTurn(reply.Text, reply.InputTokens, reply.OutputTokens, reply.Elapsed)
        {
            ReusedPromptTokens = reply.ReusedPromptTokens,
            EvaluatedPromptTokens = reply.EvaluatedPromptTokens,
            FinishReason = reply.FinishReason,
        };
    }

    private async Task<ChatTurn> SendOneAsync(string userText, IProgress<string>? onText, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        _messages.Add(new ChatMessage(ChatRole.User, userText));
        var reply = new StringBuilder();
        long inputTokens = 0, outputTokens = 0;
        long? reused = null, evaluated = null;
        ChatFinishReason? finishReason = null;
        try
        {
            await foreach (var update in _client.GetStreamingResponseAsync(_messages, _options, cancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(update.Text))
                {
                    reply.Append(update.Text);
                    onText?.Report(update.Text);
                }
                finishReason = update.FinishReason ?? finishReason;
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    inputTokens += usage.Details.InputTokenCount ?? 0;
                    outputTokens += usage.Details.OutputTokenCount ?? 0;
                    if (usage.Details.AdditionalCounts is { } counts)
                    {
                        if (counts.TryGetValue(UsageCountKeys.ReusedPrefixTokens, out var r)) reused = (reused ?? 0) + r;
                        if (counts.TryGetValue(UsageCountKeys.EvaluatedPromptTokens, out var e)) evaluated = (evaluated ?? 0) + e;
                    }
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
        return new ChatTurn(reply.ToString(), inputTokens, outputTokens, stopwatch.Elapsed)
        {
            ReusedPromptTokens = reused,
            EvaluatedPromptTokens = evaluated,
            FinishReason = finishReason,
        };
    }
}
