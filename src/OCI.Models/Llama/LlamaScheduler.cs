using System.Threading.Channels;
using LLama.Batched;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>One decode step: the tokens fed for foreground and background requests, and the sequences they belonged to.</summary>
public sealed record LlamaStep(int ForegroundTokens, int BackgroundTokens, int Sequences);

/// <summary>What the shared KV cache holds now: cells in use of its size, and the bytes they take.</summary>
public sealed record LlamaKvUsage(int CellsInUse, int Cells, long BytesInUse, long Bytes, int Sequences);

/// <summary>
/// One context for every conversation of a model: LLamaSharp's <see cref="BatchedExecutor"/>, each conversation a
/// sequence of it. One loop decodes every running request together, step by step: each step feeds, foreground work
/// first, every sequence's next tokens (a prompt in chunks, one token per candidate being written) into one batch of
/// at most <c>oci.model.batchSize</c> tokens, decodes it once, then samples each sequence whose tokens are in. So a
/// foreground request waits at most for the step in progress, never for a background request to finish, and the
/// candidates of one prompt share its KV cells and are decoded in one batch. Background prompts are fed in small
/// chunks to keep that step short. Everything that touches the context (sequences, forks, eviction) runs on the loop.
/// </summary>
public sealed class LlamaScheduler : IDisposable
{
    private const int SequenceLimit = 64;

    private readonly Channel<LlamaRequest> _inbox = Channel.CreateUnbounded<LlamaRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<LlamaDecodeWork> _active = [];
    private readonly HashSet<LlamaRequest> _running = [];
    private readonly LlamaConversationStore _conversations;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly long _bytesPerCell;
    private BatchedExecutor _executor;
    private long _order;
    private volatile LlamaKvUsage _usage;

    internal LlamaScheduler(LlamaModel model, int maxConversations, TimeSpan idleTimeout, ILogger logger)
    {
        Model = model;
        Logger = logger;
        KvCells = (int)model.KvCacheSize;
        _bytesPerCell = model.Memory.KvCacheBytesPerContext / Math.Max(1, model.ContextSize);
        _conversations = new LlamaConversationStore(maxConversations, idleTimeout, logger);
        _executor = model.CreateBatchedExecutor(SequenceLimit);
        _usage = new LlamaKvUsage(0, KvCells, 0, _bytesPerCell * KvCells, 0);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    internal LlamaModel Model { get; }

    /// <summary>Raised on the loop after each decode step (tests and benchmarks observe the batching; keep handlers short).</summary>
    internal event Action<LlamaStep>? StepDecoded;

    internal ILogger Logger { get; }

    /// <summary>Cells of the shared KV cache (tokens, counted once however many sequences share them).</summary>
    public int KvCells { get; }

    public LlamaKvUsage KvUsage => _usage;

    /// <summary>Conversations whose sequences are kept, most recently used first (a snapshot).</summary>
    internal IReadOnlyList<string> ConversationIds => _conversations.Ids;

    /// <summary>Queues a request; its <see cref="LlamaRequest.Output"/> carries the reply, <see cref="LlamaRequest.Completion"/> says when the loop is done with it.</summary>
    internal void Submit(LlamaRequest request)
    {
        if (!_inbox.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(LlamaScheduler));
        }
    }

    internal LlamaSequence NewSequence() => new(_executor.Create());

    /// <summary>Works that start now (a request's candidates, once its prompt is decoded): they sample from the logits already there.</summary>
    internal void Begin(IReadOnlyList<LlamaDecodeWork> works)
    {
        foreach (var work in works)
        {
            _active.Add(work);
            work.OnDecoded(this);
        }
    }

    private void Start(LlamaRequest request)
    {
        if (request.Cancellation.IsCancellationRequested)
        {
            request.Complete(new OperationCanceledException(request.Cancellation));
            return;
        }
        var temporary = request.ConversationId is null;
        var slot = temporary ? new LlamaConversationSlot(null) : _conversations.GetOrCreate(request.ConversationId!);
        if (slot.Busy)
        {
            slot.Waiting.Enqueue(request);
            return;
        }
        slot.Busy = true;
        request.Order = _order++;
        _running.Add(request);
        _active.Add(request.Start(slot, temporary, this));
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await StepAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // A failure inside a step (a native error, no sequence id left) fails what runs; the loop goes on.
                    Logger.LogError(e, "The model's decode loop failed");
                    Reset(new ModelException("The model's decode loop failed: " + e.Message, e));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            Reset(new ObjectDisposedException(nameof(LlamaScheduler)));
        }
    }

    private async Task StepAsync(CancellationToken stopping)
    {
        if (_active.Count == 0)
        {
            Start(await _inbox.Reader.ReadAsync(stopping).ConfigureAwait(false));
        }
        while (_inbox.Reader.TryRead(out var next)) Start(next);
        EndCancelled();
        var fed = Feed();
        if (fed.Count == 0)
        {
            // Nothing to decode: every running work waits for its reader (or nothing runs).
            if (_active.Count > 0) await Task.WhenAny(_inbox.Reader.WaitToReadAsync(stopping).AsTask(), Task.Delay(5, stopping)).ConfigureAwait(false);
            return;
        }
        var result = await DecodeAsync().ConfigureAwait(false);
        if (result != DecodeResult.Ok)
        {
            Reset(new ModelException(result == DecodeResult.NoKvSlot
                ? $"The model's KV cache ({KvCells} tokens) is full. Raise oci.model.kvCacheSize or lower oci.refine.candidatesPerRound."
                : $"llama.cpp failed to evaluate the prompt ({result})."));
            return;
        }
        StepDecoded?.Invoke(new LlamaStep(
            fed.Where(f => f.Work.Request.Priority == ModelPriority.Foreground).Sum(f => f.Count),
            fed.Where(f => f.Work.Request.Priority == ModelPriority.Background).Sum(f => f.Count),
            fed.Count));
        foreach (var (work, count) in fed) Commit(work, count);
        FinishEnded();
    }

    /// <summary>Requests cancelled by their callers end now: their sequences hold exactly what was decoded.</summary>
    private void EndCancelled()
    {
        foreach (var work in _active.Where(w => w.Request.Cancellation.IsCancellationRequested).ToList())
        {
            work.End(new OperationCanceledException(work.Request.Cancellation));
        }
        FinishEnded();
    }

    /// <summary>
    /// This step's batch: foreground work first, older requests first; each sequence gets its next chunk, as much as
    /// the batch and the KV cache hold. A background prompt goes in small chunks, so that a foreground request arriving
    /// meanwhile waits for a short step. When the KV cache cannot hold the step, idle conversations are freed first,
    /// then the work that does not fit fails.
    /// </summary>
    private List<(LlamaDecodeWork Work, int Count)> Feed()
    {
        var budget = (int)Math.Max(1, _executor.Context.BatchSize);
        var backgroundChunk = Math.Max(32, budget / 8);
        var free = KvCells - CellsInUse();
        var fed = new List<(LlamaDecodeWork, int)>();
        foreach (var work in _active.Where(w => !w.Ended && w.Remaining > 0 && w.ReadyToDecode)
                     .OrderBy(w => w.Request.Priority).ThenBy(w => w.Request.Order).ToList())
        {
            if (budget == 0) break;
            var count = Math.Min(work.Remaining, work.Request.Priority == ModelPriority.Background ? Math.Min(budget, backgroundChunk) : budget);
            while (count > free && _conversations.EvictOne()) free = KvCells - CellsInUse();
            if (count > free)
            {
                work.End(new ModelException($"The model's KV cache ({KvCells} tokens) is full. Raise oci.model.kvCacheSize or lower oci.refine.candidatesPerRound."));
                continue;
            }
            work.Sequence.Conversation.Prompt(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(work.Pending).Slice(work.Fed, count), allLogits: false);
            fed.Add((work, count));
            budget -= count;
            free -= count;
        }
        FinishEnded();
        return fed;
    }

    private async Task<DecodeResult> DecodeAsync()
    {
        // Every chunk of a step fits one batch; a queue of several (never expected) is decoded in order.
        while (_executor.BatchQueueCount > 0)
        {
            var result = await _executor.Infer().ConfigureAwait(false);
            if (result != DecodeResult.Ok) return result;
        }
        return DecodeResult.Ok;
    }

    private void Commit(LlamaDecodeWork work, int count)
    {
        work.Sequence.Tokens.AddRange(work.Pending.Skip(work.Fed).Take(count));
        if (work is LlamaPromptWork) work.Request.EvaluatedPromptTokens += count;
        work.Fed += count;
        if (work.Ended) return; // cancelled while its chunk was decoded: the cache still matches the token list
        if (work.Remaining == 0) work.OnDecoded(this);
    }

    /// <summary>Drops ended works; a request whose works all ended frees its slot (the next request for it starts).</summary>
    private void FinishEnded()
    {
        _active.RemoveAll(w => w.Ended);
        foreach (var request in _running.Where(r => r.AllWorkEnded).ToList())
        {
            _running.Remove(request);
            var slot = request.Slot!;
            slot.Busy = false;
            slot.LastUsedUtc = DateTime.UtcNow;
            if (request.TemporarySlot) slot.Dispose();
            request.Complete();
            if (slot.Waiting.TryDequeue(out var next)) Start(next);
        }
        PublishUsage();
    }

    private int CellsInUse() => _conversations.Slots.Sum(s => s.OwnCells) + _running.Where(r => r.TemporarySlot).Sum(r => r.Slot!.OwnCells);

    private void PublishUsage()
    {
        var cells = CellsInUse();
        var sequences = _conversations.Slots.Sum(s => s.Sequences.Count) + _running.Where(r => r.TemporarySlot).Sum(r => r.Slot!.Sequences.Count);
        _usage = new LlamaKvUsage(cells, KvCells, cells * _bytesPerCell, KvCells * _bytesPerCell, sequences);
    }

    /// <summary>
    /// After a failed decode the executor's queue holds a batch that cannot be taken back: every running request fails,
    /// the kept conversations are forgotten (their next turn evaluates its prompt again), and a fresh context starts.
    /// </summary>
    private void Reset(Exception error)
    {
        Logger.LogWarning("Resetting the model's context: {Error}", error.Message);
        foreach (var work in _active.ToList()) work.End(error);
        _active.Clear();
        var waiting = new List<LlamaRequest>();
        foreach (var request in _running.ToList())
        {
            _running.Remove(request);
            while (request.Slot!.Waiting.TryDequeue(out var next)) waiting.Add(next);
            request.Slot.Busy = false;
            request.Complete();
        }
        foreach (var slot in _conversations.Slots) while (slot.Waiting.TryDequeue(out var next)) waiting.Add(next);
        _conversations.Clear();
        _executor.Dispose();
        if (_stopping.IsCancellationRequested || error is ObjectDisposedException)
        {
            while (_inbox.Reader.TryRead(out var queued)) waiting.Add(queued);
            foreach (var next in waiting) next.Complete(error);
            return;
        }
        _executor = Model.CreateBatchedExecutor(SequenceLimit);
        foreach (var next in waiting) _inbox.Writer.TryWrite(next);
        PublishUsage();
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        _inbox.Writer.TryComplete();
        try { _loop.GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
        _stopping.Dispose();
    }
}

internal static partial class LlamaLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {Id}: the context is full after {Generated} generated tokens; the reply is cut")]
    public static partial void LogContextFull(this ILogger logger, string? id, int generated);
}
