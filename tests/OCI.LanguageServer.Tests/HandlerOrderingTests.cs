using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.LanguageServer.JsonRpc;
using OCI.LanguageServer.Server;
using StreamJsonRpc;

namespace OCI.LanguageServer.Tests;

/// <summary>
/// Each handler's declared <see cref="HandlerOrdering"/> holds on the wire: the server's own connection
/// (<see cref="LspJsonRpc.Create"/>, framed JSON-RPC over pipes) and <see cref="HandlerRegistry"/>, with handlers that
/// make the order visible. A mutation that awaits is never seen half done; reads still run alongside each other and
/// alongside a long one (a refine task), which never holds up typing.
/// </summary>
public sealed class HandlerOrderingTests : IAsyncDisposable
{
    private readonly OrderingServer _server = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_read_after_a_mutation_that_awaits_sees_the_mutation_complete()
    {
        var (_, mutated) = await _server.Client.SendRequestAsync(MutateHandler.Method, new JsonObject { ["value"] = "new" });
        await _server.State.MutationStarted.Task.WaitAsync(TestWaits.Seconds(15));
        // Unordered, the read runs at once, sees the half-done mutation and lets it finish; ordered, it waits for it.
        var (_, read) = await _server.Client.SendRequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "read" });
        // A probe sent after it and cancelled: answered -32800 only while it waits in the queue, so the server has taken
        // the read off the wire and queued it too (unordered, both would have run by now). Then the mutation may finish.
        var (probeId, probe) = await _server.Client.SendRequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "probe" });
        await _server.Client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = probeId });
        Assert.Equal(-32800, (int?)(await LspTestClient.WaitAsync(probe, null, "the cancelled probe"))["error"]?["code"]);
        Assert.False(read.IsCompleted);
        _server.State.MutationGate.SetResult();

        Assert.Equal("new", (string?)(await LspTestClient.WaitAsync(read, null, "the read"))["result"]);
        Assert.Equal("done", (string?)(await LspTestClient.WaitAsync(mutated, null, "the mutation"))["result"]);
        Assert.Equal(["mutate begins", "mutate ends", "read"], _server.State.Events);
    }

    [Fact]
    public async Task Concurrent_reads_run_alongside_each_other()
    {
        var (_, slow) = await _server.Client.SendRequestAsync(SlowReadHandler.Method, new JsonObject { ["value"] = "slow" });
        await _server.State.SlowReadStarted.Task.WaitAsync(TestWaits.Seconds(15));

        var read = await _server.Client.RequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "read" });

        Assert.Equal("old", (string?)read["result"]);
        Assert.False(slow.IsCompleted);
        _server.State.SlowGate.SetResult();
        Assert.Equal("old", (string?)(await LspTestClient.WaitAsync(slow, null, "the slow read"))["result"]);
    }

    [Fact]
    public async Task A_mutation_waits_for_an_earlier_long_read_to_start_not_to_finish()
    {
        var (_, slow) = await _server.Client.SendRequestAsync(SlowReadHandler.Method, new JsonObject { ["value"] = "slow" });
        await _server.Client.NotifyAsync(SetHandler.Method, new JsonObject { ["value"] = "typed" });
        var read = await _server.Client.RequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "read" });

        Assert.Equal("typed", (string?)read["result"]);
        Assert.False(slow.IsCompleted);
        _server.State.SlowGate.SetResult();
        // The long read took its state when it started, before the later change.
        Assert.Equal("old", (string?)(await LspTestClient.WaitAsync(slow, null, "the slow read"))["result"]);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_never_runs_and_the_queue_keeps_its_order()
    {
        var (_, mutated) = await _server.Client.SendRequestAsync(MutateHandler.Method, new JsonObject { ["value"] = "new" });
        await _server.State.MutationStarted.Task.WaitAsync(TestWaits.Seconds(15));
        var (queuedId, queued) = await _server.Client.SendRequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "cancelled" });
        await _server.Client.NotifyAsync("$/cancelRequest", new JsonObject { ["id"] = queuedId });

        var cancelled = await LspTestClient.WaitAsync(queued, null, "the cancelled read");
        Assert.Equal(-32800, (int?)cancelled["error"]?["code"]);
        Assert.False(mutated.IsCompleted);

        var (_, after) = await _server.Client.SendRequestAsync(ReadHandler.Method, new JsonObject { ["value"] = "read" });
        _server.State.MutationGate.SetResult();
        Assert.Equal("new", (string?)(await LspTestClient.WaitAsync(after, null, "the read after"))["result"]);
        Assert.Equal(["mutate begins", "mutate ends", "read"], _server.State.Events);
    }

    internal sealed record Probe(string Value);

    /// <summary>The state the test handlers share, and what they did in order.</summary>
    internal sealed class ProbeState
    {
        private readonly List<string> _events = [];

        public string Value { get; set; } = "old";

        /// <summary>Lets the mutation finish.</summary>
        public TaskCompletionSource MutationGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Lets the slow read finish.</summary>
        public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource MutationStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SlowReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_events) return [.. _events];
            }
        }

        public void Record(string what)
        {
            lock (_events) _events.Add(what);
        }
    }

    /// <summary>Mutates in two steps with an await between them (as a handler that asks the client something would).</summary>
    internal sealed class MutateHandler(ProbeState state) : IRequestHandler<MutateHandler, Probe, string>
    {
        public static string Method => "test/mutate";

        public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

        public async Task<string> HandleAsync(Probe parameters, CancellationToken cancellationToken)
        {
            state.Record("mutate begins");
            state.Value = "half done";
            state.MutationStarted.TrySetResult();
            await state.MutationGate.Task.ConfigureAwait(false);
            state.Value = parameters.Value;
            state.Record("mutate ends");
            return "done";
        }
    }

    /// <summary>Reads the value; also lets a waiting mutation go on (so that an unordered read is caught mid-mutation).</summary>
    internal sealed class ReadHandler(ProbeState state) : IRequestHandler<ReadHandler, Probe, string>
    {
        public static string Method => "test/read";

        public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

        public Task<string> HandleAsync(Probe parameters, CancellationToken cancellationToken)
        {
            var seen = state.Value;
            state.Record(parameters.Value);
            state.MutationGate.TrySetResult();
            return Task.FromResult(seen);
        }
    }

    /// <summary>Reads the value at its start, then works until the gate opens (as a refine task does).</summary>
    internal sealed class SlowReadHandler(ProbeState state) : IRequestHandler<SlowReadHandler, Probe, string>
    {
        public static string Method => "test/slowRead";

        public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

        public async Task<string> HandleAsync(Probe parameters, CancellationToken cancellationToken)
        {
            var seen = state.Value;
            state.SlowReadStarted.TrySetResult();
            await state.SlowGate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return seen;
        }
    }

    /// <summary>A synchronous mutation, as text sync is.</summary>
    internal sealed class SetHandler(ProbeState state) : INotificationHandler<SetHandler, Probe>
    {
        public static string Method => "test/set";

        public static HandlerOrdering Ordering => HandlerOrdering.InOrder;

        public void Handle(Probe parameters) => state.Value = parameters.Value;
    }

    /// <summary>The server's connection and registry with the test handlers, past the lifecycle gate.</summary>
    private sealed class OrderingServer : IAsyncDisposable
    {
        private readonly Pipe _toServer = new();
        private readonly Pipe _fromServer = new();
        private readonly LspMessageHandler _handler;
        private readonly LspJsonRpc _rpc;

        public OrderingServer()
        {
            var gate = new LifecycleGate();
            gate.MarkInitialized();
            var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions(OCI.LanguageServer.Protocol.LspJson.Options) };
            _handler = new LspMessageHandler(_toServer.Reader.AsStream(), _fromServer.Writer.AsStream(), formatter, gate, 1 << 20, NullLogger.Instance);
            _rpc = LspJsonRpc.Create(_handler, NullLoggerFactory.Instance);
            new HandlerRegistry(_rpc, NullLogger.Instance)
                .Add(new MutateHandler(State))
                .Add(new ReadHandler(State))
                .Add(new SlowReadHandler(State))
                .Add(new SetHandler(State));
            _rpc.StartListening();
            Client = new LspTestClient(_toServer.Writer.AsStream(), _fromServer.Reader.AsStream());
        }

        public ProbeState State { get; } = new();

        public LspTestClient Client { get; }

        public async ValueTask DisposeAsync()
        {
            State.MutationGate.TrySetResult();
            State.SlowGate.TrySetResult();
            await _toServer.Writer.CompleteAsync();
            await _rpc.Completion.WaitAsync(TestWaits.Seconds(10));
            _rpc.Dispose();
            await _handler.DisposeAsync();
            await _fromServer.Writer.CompleteAsync();
            await Client.DisposeAsync();
        }
    }
}
