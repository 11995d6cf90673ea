using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Exceptions;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// One request on one conversation state: fits the messages to the context (dropping the oldest feedback rounds),
/// evaluates only the tokens after the prefix the KV cache already holds, then samples token by token. Each
/// <see cref="NextAsync"/> returns the next piece of text (null at the end); native errors become <see cref="ModelException"/>.
/// </summary>
internal sealed class LlamaGeneration : IDisposable
{
    private readonly LlamaModel _model;
    private readonly LlamaConversationState _state;
    private readonly ILogger _logger;
    private readonly int _maxTokens;
    private readonly IReadOnlyList<string> _stops;
    private readonly ISamplingPipeline _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly LLamaBatch _batch = new();
    private readonly StringBuilder _pending = new();
    private readonly IReadOnlyList<ChatMessage> _messages;
    private readonly Stopwatch _clock = new();
    private bool _prepared;
    private bool _finished;
    private int _logitIndex;
    private int _promptTokens, _reused, _evaluatedPrompt, _generated, _dropped;
    private TimeSpan _promptTime;

    public LlamaGeneration(LlamaModel model, LlamaConversationState state, IReadOnlyList<ChatMessage> messages, ChatOptions? options, ModelSettings defaults, ILogger logger)
    {
        _model = model;
        _state = state;
        _messages = messages;
        _logger = logger;
        _maxTokens = Math.Max(1, options?.MaxOutputTokens ?? defaults.MaxTokens);
        var stops = new List<string>(model.Template.StopSequences);
        if (options?.StopSequences is { } requested) stops.AddRange(requested.Where(s => !string.IsNullOrEmpty(s)));
        _stops = stops;
        var temperature = options?.Temperature ?? defaults.Temperature;
        _sampler = temperature <= 0
            ? new GreedySamplingPipeline()
            : new DefaultSamplingPipeline
            {
                Temperature = temperature,
                TopP = options?.TopP ?? defaults.TopP,
                Seed = unchecked((uint)(options?.Seed ?? defaults.Seed)),
            };
        _decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Weights);
    }

    public ChatFinishReason? FinishReason { get; private set; }

    /// <summary>The prompt text the template rendered and the model was fed (after dropping rounds); null before it is prepared.</summary>
    public string? RenderedPrompt { get; private set; }

    public LlamaRequestStats Stats => new(_state.Id, _promptTokens, _reused, _evaluatedPrompt, _generated, _dropped, _promptTime,
        _prepared ? _clock.Elapsed - _promptTime : TimeSpan.Zero)
    {
        ContextSize = (int)_state.Context.ContextSize,
    };

    /// <summary>The next piece of reply text; empty when a token produced no complete character yet; null at the end.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!_prepared)
            {
                await PrepareAsync(cancellationToken).ConfigureAwait(false);
                _prepared = true;
            }
            return _finished ? Flush() : await StepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LLamaDecodeError e)
        {
            throw new ModelException($"llama.cpp failed to evaluate the prompt ({e.ReturnCode}).", e);
        }
        catch (RuntimeError e)
        {
            throw new ModelException($"llama.cpp failed: {e.Message}", e);
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        var contextSize = (int)_state.Context.ContextSize;
        var reserve = Math.Min(_maxTokens, contextSize / 4);
        var messages = _messages.ToList();
        var tokens = Tokenize(messages);
        while (tokens.Count + reserve > contextSize)
        {
            if (!DropOldestRound(messages))
            {
                throw new ModelException(
                    $"The task does not fit the model's context: the prompt needs {tokens.Count} tokens plus {reserve} for the reply, " +
                    $"but the context holds {contextSize}. Raise oci.model.contextSize or shorten the task.");
            }
            _dropped++;
            tokens = Tokenize(messages);
        }
        if (_dropped > 0)
        {
            _logger.LogWarning("Conversation {Id}: the context ({Context} tokens) is full; dropped the {Dropped} oldest feedback round(s), kept the system prompt and the task",
                _state.Id, contextSize, _dropped);
        }
        _promptTokens = tokens.Count;

        // The KV cache holds _state.Tokens; keep the common prefix, evaluate the rest. At least one token is evaluated
        // so that there are logits to sample from.
        var common = 0;
        var limit = Math.Min(tokens.Count, _state.Tokens.Count);
        while (common < limit && tokens[common] == _state.Tokens[common]) common++;
        if (common == tokens.Count) common--;
        _state.TruncateTo(common);
        _reused = common;

        var batchSize = (int)Math.Max(1, _state.Context.BatchSize);
        for (var start = common; start < tokens.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(tokens.Count, start + batchSize);
            _batch.Clear();
            for (var i = start; i < end; i++) _batch.Add(tokens[i], i, LLamaSeqId.Zero, i == end - 1);
            await DecodeAsync().ConfigureAwait(false);
            _state.Tokens.AddRange(tokens.Skip(start).Take(end - start));
            _evaluatedPrompt += end - start;
            _logitIndex = end - start - 1;
        }
        _promptTime = _clock.Elapsed;
        _logger.LogDebug("Conversation {Id}: prompt {Prompt} tokens, {Reused} reused from the KV cache, {Evaluated} evaluated",
            _state.Id, _promptTokens, _reused, _evaluatedPrompt);
    }

    private async Task<string?> StepAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var token = _sampler.Sample(_state.Context.NativeHandle, _logitIndex);
        if (token.IsEndOfGeneration(_model.Weights.Vocab))
        {
            return Finish(ChatFinishReason.Stop);
        }
        _generated++;
        _decoder.Add(token);
        _pending.Append(_decoder.Read());
        if (TakeUntilStop() is { } beforeStop)
        {
            _finished = true;
            FinishReason = ChatFinishReason.Stop;
            return beforeStop;
        }
        if (_generated >= _maxTokens) return Finish(ChatFinishReason.Length);
        if (_state.Tokens.Count + 1 >= (int)_state.Context.ContextSize)
        {
            _logger.LogWarning("Conversation {Id}: the context is full after {Generated} generated tokens; the reply is cut", _state.Id, _generated);
            return Finish(ChatFinishReason.Length);
        }
        _batch.Clear();
        _batch.Add(token, _state.Tokens.Count, LLamaSeqId.Zero, true);
        await DecodeAsync().ConfigureAwait(false);
        _state.Tokens.Add(token);
        _logitIndex = 0;
        return TakeSafeText();
    }

    private string? Finish(ChatFinishReason reason)
    {
        _finished = true;
        FinishReason = reason;
        return Flush();
    }

    /// <summary>After the end: whatever text was held back; then null.</summary>
    private string? Flush()
    {
        if (_pending.Length == 0) return null;
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

    private List<LLamaToken> Tokenize(List<ChatMessage> messages)
    {
        RenderedPrompt = _model.Template.Render(messages);
        return [.. _model.Tokenize(RenderedPrompt)];
    }

    /// <summary>Removes the oldest feedback round (a reply and the feedback after it) between the task and the last turn.</summary>
    private static bool DropOldestRound(List<ChatMessage> messages)
    {
        var task = messages.FindIndex(m => m.Role == ChatRole.User);
        if (task < 0) return false;
        var droppable = messages.Count - 1 - (task + 1); // everything after the task except the current turn
        if (droppable <= 0) return false;
        messages.RemoveRange(task + 1, Math.Min(2, droppable));
        return true;
    }

    private async Task DecodeAsync()
    {
        // Not cancellable inside: the KV cache must match _state.Tokens, so a decode either completes or never starts.
        var context = _state.Context;
        var batch = _batch;
        var result = await Task.Run(() => context.Decode(batch)).ConfigureAwait(false);
        if (result == DecodeResult.Ok) return;
        if (result == DecodeResult.NoKvSlot)
        {
            throw new ModelException($"The model's context ({context.ContextSize} tokens) is full. Raise oci.model.contextSize.");
        }
        throw new ModelException($"llama.cpp failed to evaluate the prompt ({result}).");
    }

    public void Dispose()
    {
        _sampler.Dispose();
    }
}
