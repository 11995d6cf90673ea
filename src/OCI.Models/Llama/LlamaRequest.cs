using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace OCI.Models.Llama;

/// <summary>A piece of a candidate's reply; <see cref="Final"/> once, when that candidate is complete.</summary>
internal sealed record LlamaPiece(int Index, string Text, bool Final = false, ChatFinishReason? FinishReason = null, int GeneratedTokens = 0, string? WholeText = null);

/// <summary>
/// One request on the scheduler: its prompt, evaluated once on the conversation's sequence (only the tokens after the
/// prefix its KV cache already holds), then one candidate per entry of <see cref="CandidateOptions"/>: the first on the
/// conversation's own sequence, the others on forks that share the prompt's KV cells. The caller reads
/// <see cref="Output"/>; the loop does everything else.
/// </summary>
internal sealed class LlamaRequest
{
    private readonly bool _streaming;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = new();
    private int _openWorks;
    private Exception? _error;

    public LlamaRequest(string? conversationId, LlamaPrompt prompt, IReadOnlyList<ChatOptions?> candidateOptions, ModelPriority priority, bool streaming, CancellationToken cancellationToken)
    {
        ConversationId = conversationId;
        Prompt = prompt;
        CandidateOptions = candidateOptions;
        Priority = priority;
        _streaming = streaming;
        Cancellation = cancellationToken;
    }

    public string? ConversationId { get; }

    public LlamaPrompt Prompt { get; }

    public IReadOnlyList<ChatOptions?> CandidateOptions { get; }

    public ModelPriority Priority { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Arrival order on the loop (older first within a priority).</summary>
    public long Order { get; set; }

    public Channel<LlamaPiece> Output { get; } = Channel.CreateUnbounded<LlamaPiece>(new UnboundedChannelOptions { SingleWriter = true });

    /// <summary>Done: the slot is free again and the stats are final.</summary>
    public Task Completion => _completion.Task;

    /// <summary>A streaming reader gets at most a couple of pieces ahead, so cancelling it stops generation promptly.</summary>
    public bool ReaderCaughtUp => !_streaming || Output.Reader.Count < 2;

    public LlamaConversationSlot? Slot { get; private set; }

    public bool TemporarySlot { get; private set; }

    public List<LlamaCandidateWork> Candidates { get; } = [];

    public int ReusedPrefixTokens { get; private set; }

    public int EvaluatedPromptTokens { get; set; }

    public TimeSpan PromptTime { get; private set; }

    /// <summary>The context one sequence may fill (<c>oci.model.contextSize</c>).</summary>
    public int SequenceContextSize { get; private set; }

    public bool Completed { get; private set; }

    public LlamaRequestStats Stats => new(ConversationId, Prompt.Tokens.Count, ReusedPrefixTokens, EvaluatedPromptTokens,
        Candidates.Sum(c => c.Generated), Prompt.DroppedRounds, PromptTime, _clock.Elapsed - PromptTime)
    {
        ContextSize = SequenceContextSize,
        Candidates = Candidates.Count,
    };

    /// <summary>On the loop, with the conversation's slot held: keeps the sequence that shares the most, queues the rest of the prompt.</summary>
    public LlamaDecodeWork Start(LlamaConversationSlot slot, bool temporary, LlamaScheduler scheduler)
    {
        _clock.Start();
        SequenceContextSize = (int)scheduler.Model.ContextSize;
        Slot = slot;
        TemporarySlot = temporary;
        var tokens = Prompt.Tokens;
        LlamaSequence sequence;
        if (slot.Sequences.Count == 0)
        {
            sequence = scheduler.NewSequence();
            slot.Sequences.Add(sequence);
        }
        else
        {
            sequence = slot.Sequences.MaxBy(s => s.CommonPrefix(tokens))!;
            slot.KeepOnly(sequence);
        }
        // At least one token is evaluated so that there are logits to sample from.
        var common = Math.Min(sequence.CommonPrefix(tokens), tokens.Count - 1);
        sequence.TruncateTo(common);
        ReusedPrefixTokens = common;
        var work = new LlamaPromptWork(this, sequence);
        work.Pending.AddRange(tokens.Skip(common));
        _openWorks = 1;
        return work;
    }

    /// <summary>The prompt is in the KV cache: the candidates start from its logits (forks share its cells).</summary>
    public IReadOnlyList<LlamaDecodeWork> PromptDecoded(LlamaSequence sequence, LlamaScheduler scheduler)
    {
        PromptTime = _clock.Elapsed;
        for (var index = 0; index < CandidateOptions.Count; index++)
        {
            var own = index == 0 ? sequence : sequence.Fork();
            if (index > 0) Slot!.Sequences.Add(own);
            Candidates.Add(new LlamaCandidateWork(this, own, index, CandidateOptions[index], scheduler.Model));
        }
        _openWorks += Candidates.Count;
        return Candidates;
    }

    public void Write(int index, string text) => Output.Writer.TryWrite(new LlamaPiece(index, text));

    public void WorkEnded(LlamaDecodeWork work, Exception? error)
    {
        if (error is not null) _error ??= error;
        else if (work is LlamaCandidateWork candidate)
        {
            Output.Writer.TryWrite(new LlamaPiece(candidate.Index, "", true, candidate.FinishReason, candidate.Generated, candidate.Text));
        }
        _openWorks--;
    }

    public bool AllWorkEnded => _openWorks == 0;

    /// <summary>On the loop, once every work ended and the slot is released.</summary>
    public void Complete(Exception? error = null)
    {
        if (Completed) return;
        if (error is not null) _error ??= error;
        Completed = true;
        _clock.Stop();
        Output.Writer.TryComplete(_error);
        _completion.TrySetResult();
    }
}

/// <summary>The prompt's tokens after the reused prefix; once decoded, the request's candidates take over.</summary>
internal sealed class LlamaPromptWork(LlamaRequest request, LlamaSequence sequence) : LlamaDecodeWork(request, sequence)
{
    public override void OnDecoded(LlamaScheduler scheduler)
    {
        var candidates = Request.PromptDecoded(Sequence, scheduler);
        End(null);
        scheduler.Begin(candidates);
    }
}
