using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>
/// The LSP transport under StreamJsonRpc: our own header framing (<see cref="FrameReader"/>), then a check of each
/// message before StreamJsonRpc deserialises it, because StreamJsonRpc drops the connection on a parse error. Input
/// that fails the check is answered here (-32700, -32600, the lifecycle gate's -32002) and never reaches dispatch;
/// the connection keeps serving. Writes go through the base class, which serialises them.
/// </summary>
internal sealed class LspMessageHandler : MessageHandlerBase
{
    private readonly FrameReader _reader;
    private readonly Stream _output;
    private readonly LifecycleGate _gate;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _writeBuffer = new();

    public LspMessageHandler(Stream input, Stream output, SystemTextJsonFormatter formatter, LifecycleGate gate, long maxMessageBytes, ILogger logger)
        : base(formatter)
    {
        _reader = new FrameReader(input, maxMessageBytes, logger);
        _output = output;
        _gate = gate;
        _logger = logger;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch (frame)
            {
                case Frame.EndOfInput:
                    return null;
                case Frame.Oversized oversized:
                    await RejectAsync(MessageEnvelope.TryFindId(oversized.Prefix), ErrorCodes.InvalidRequest,
                        $"The message of {oversized.Length} bytes exceeds the server's limit and was skipped.", cancellationToken).ConfigureAwait(false);
                    continue;
                case Frame.Body body:
                    var message = await AcceptAsync(body.Bytes, cancellationToken).ConfigureAwait(false);
                    if (message is not null)
                    {
                        return message;
                    }
                    continue;
            }
        }
    }

    /// <summary>The message for StreamJsonRpc, or null when this one was answered or dropped here.</summary>
    private async ValueTask<JsonRpcMessage?> AcceptAsync(byte[] body, CancellationToken cancellationToken)
    {
        MessageEnvelope? envelope;
        string? rawId;
        try
        {
            using var document = JsonDocument.Parse(body);
            envelope = MessageEnvelope.TryRead(document.RootElement, out var error, out rawId);
            if (envelope is null)
            {
                await RejectAsync(rawId, ErrorCodes.InvalidRequest, error!, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        catch (JsonException ex)
        {
            await RejectAsync(null, ErrorCodes.ParseError, $"Parse error: {ex.Message}", cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (!envelope.IsResponse)
        {
            var admission = _gate.Admit(envelope.Method!, envelope.IsRequest);
            if (!admission.Admitted)
            {
                if (envelope.IsRequest)
                {
                    await RejectAsync(rawId, admission.ErrorCode, admission.ErrorMessage!, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _logger.LogDebug("Dropped notification {Method} (lifecycle)", envelope.Method);
                }
                return null;
            }
        }

        try
        {
            return Formatter.Deserialize(new ReadOnlySequence<byte>(body));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            await RejectAsync(rawId, ErrorCodes.InvalidRequest, $"Invalid message: {ex.Message}", cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async ValueTask RejectAsync(string? rawId, int code, string message, CancellationToken cancellationToken)
    {
        _logger.LogWarning("Rejected input (id {Id}): {Code} {Message}", rawId ?? "null", code, message);
        await WriteAsync(new ProtocolErrorResponse(rawId, code, message), cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        _writeBuffer.ResetWrittenCount();
        if (content is ProtocolErrorResponse error)
        {
            _writeBuffer.Write(error.Json);
        }
        else
        {
            Formatter.Serialize(_writeBuffer, content);
        }
        var header = Encoding.ASCII.GetBytes($"Content-Length: {_writeBuffer.WrittenCount}\r\n\r\n");
        await _output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(_writeBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    protected override ValueTask FlushAsync(CancellationToken cancellationToken) => new(_output.FlushAsync(cancellationToken));
}
