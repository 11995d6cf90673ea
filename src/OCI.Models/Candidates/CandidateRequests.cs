using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace OCI.Models.Candidates;

/// <summary>
/// Several candidates from any <see cref="IChatClient"/>: through its <see cref="ICandidateChatClient"/> when it has
/// one (one prompt, decoded together), else as <c>count</c> concurrent requests sampled per <see cref="CandidateSampling"/>.
/// Either way the candidates come back as each completes, and leaving the enumeration cancels the rest.
/// </summary>
public static class CandidateRequests
{
    public static IAsyncEnumerable<CandidateReply> GetCandidatesAsync(
        this IChatClient client, IReadOnlyList<ChatMessage> messages, int count, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return client.GetService(typeof(ICandidateChatClient)) is ICandidateChatClient batched
            ? batched.GetCandidatesAsync(messages, count, options, cancellationToken)
            : ConcurrentAsync(client, messages, count, options, cancellationToken);
    }

    /// <summary><paramref name="count"/> requests at once, one per candidate; the first failure fails the whole call.</summary>
    public static async IAsyncEnumerable<CandidateReply> ConcurrentAsync(
        IChatClient client, IReadOnlyList<ChatMessage> messages, int count, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var rest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = Channel.CreateUnbounded<CandidateReply>();
        var requests = Enumerable.Range(0, count)
            .Select(index => RequestAsync(client, messages, index, CandidateSampling.For(options, index), finished.Writer, rest.Token))
            .ToList();
        var all = Task.WhenAll(requests).ContinueWith(t => finished.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        try
        {
            await foreach (var reply in finished.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return reply;
        }
        finally
        {
            await rest.CancelAsync().ConfigureAwait(false);
            try { await all.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    private static async Task RequestAsync(
        IChatClient client, IReadOnlyList<ChatMessage> messages, int index, ChatOptions options, ChannelWriter<CandidateReply> finished, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var text = new StringBuilder();
        long input = 0, output = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            finish = update.FinishReason ?? finish;
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                input += usage.Details.InputTokenCount ?? 0;
                output += usage.Details.OutputTokenCount ?? 0;
            }
        }
        finished.TryWrite(new CandidateReply(index, text.ToString(), input, output, watch.Elapsed, finish));
    }
}
