using System.Text;
using LLama;
using LLama.Batched;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace OCI.Models.Llama;

/// <summary>
/// One candidate reply being written on its own sequence: samples a token from the logits of the last decode
/// (greedy or seeded temperature/top-p), turns tokens into text, honours stop sequences, the token limit and the
/// sequence's context, and queues the token for the next decode step.
/// </summary>
internal sealed class LlamaCandidateWork : LlamaDecodeWork
{
    private readonly LlamaModel _model;
    private readonly ISamplingPipeline _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _whole = new();
    private readonly IReadOnlyList<string> _stops;
    private readonly int _maxTokens;

    public LlamaCandidateWork(LlamaRequest request, LlamaSequence sequence, int index, ChatOptions? options, LlamaModel model)
        : base(request, sequence)
    {
        Index = index;
        _model = model;
        _maxTokens = Math.Max(1, options?.MaxOutputTokens ?? model.Settings.MaxTokens);
        var stops = new List<string>(model.Template.StopSequences);
        if (options?.StopSequences is { } requested) stops.AddRange(requested.Where(s => !string.IsNullOrEmpty(s)));
        _stops = stops;
        var temperature = options?.Temperature ?? model.Settings.Temperature;
        _sampler = temperature <= 0
            ? new GreedySamplingPipeline()
            : new DefaultSamplingPipeline
            {
                Temperature = temperature,
                TopP = options?.TopP ?? model.Settings.TopP,
                Seed = unchecked((uint)(options?.Seed ?? model.Settings.Seed)),
            };
        _decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Weights);
    }

    public int Index { get; }

    public int Generated { get; private set; }

    public string Text => _whole.ToString();

    public ChatFinishReason? FinishReason { get; private set; }

    public override bool ReadyToDecode => Request.ReaderCaughtUp;

    public override void OnDecoded(LlamaScheduler scheduler)
    {
        Pending.Clear();
        Fed = 0;
        var token = Sequence.Conversation.Sample(_sampler);
        if (token.IsEndOfGeneration(_model.Weights.Vocab))
        {
            Finish(ChatFinishReason.Stop, Flush());
            return;
        }
        Generated++;
        _decoder.Add(token);
        _pending.Append(_decoder.Read());
        if (TakeUntilStop() is { } beforeStop)
        {
            Finish(ChatFinishReason.Stop, beforeStop);
            return;
        }
        if (Generated >= _maxTokens)
        {
            Finish(ChatFinishReason.Length, Flush());
            return;
        }
        if (Sequence.Tokens.Count + 1 >= (int)_model.ContextSize)
        {
            scheduler.Logger.LogContextFull(Request.ConversationId, Generated);
            Finish(ChatFinishReason.Length, Flush());
            return;
        }
        Emit(TakeSafeText());
        Pending.Add(token);
    }

    private void Emit(string text)
    {
        if (text.Length == 0) return;
        _whole.Append(text);
        Request.Write(Index, text);
    }

    private void Finish(ChatFinishReason reason, string lastText)
    {
        Emit(lastText);
        FinishReason = reason;
        End(null);
    }

    protected override void OnEnded(Exception? error) => _sampler.Dispose();

    private string Flush()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }

    /// <summary>When a stop sequence has appeared, the text before it; the rest is dropped.</summary>
    private string? TakeUntilStop()
    {
        var text = _pending.ToString();
        var cut = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut < 0) return null;
        _pending.Clear();
        return text[..cut];
    }

    /// <summary>The pending text except a tail that could still become a stop sequence.</summary>
    private string TakeSafeText()
    {
        var text = _pending.ToString();
        var hold = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > hold; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length))) { hold = length; break; }
            }
        }
        _pending.Clear();
        _pending.Append(text, text.Length - hold, hold);
        return text[..^hold];
    }
}
