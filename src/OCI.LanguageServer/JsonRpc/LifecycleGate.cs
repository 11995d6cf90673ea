using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>What the gate decided for one incoming request or notification.</summary>
internal readonly record struct Admission(bool Admitted, int ErrorCode = 0, string? ErrorMessage = null)
{
    public static Admission Admit => new(true);
}

/// <summary>
/// The LSP lifecycle rules that apply before any handler runs: before a successful <c>initialize</c>, requests answer
/// -32002 and notifications are dropped (except <c>exit</c>); after <c>shutdown</c>, requests answer -32600. It sits on
/// the read path so that it sees messages in arrival order, before concurrent dispatch.
/// </summary>
internal sealed class LifecycleGate
{
    private const int AwaitingInitialize = 0;
    private const int Running = 1;
    private const int ShuttingDown = 2;

    private int _state = AwaitingInitialize;

    public bool IsInitialized => Volatile.Read(ref _state) != AwaitingInitialize;

    public bool IsShutdownRequested => Volatile.Read(ref _state) == ShuttingDown;

    /// <summary>Called by the initialize handler once it has succeeded (before its response is written).</summary>
    public void MarkInitialized() => Interlocked.CompareExchange(ref _state, Running, AwaitingInitialize);

    public Admission Admit(string method, bool isRequest)
    {
        if (method == "exit" && !isRequest)
        {
            return Admission.Admit;
        }
        switch (Volatile.Read(ref _state))
        {
            case AwaitingInitialize:
                if (method == "initialize" && isRequest)
                {
                    return Admission.Admit;
                }
                return isRequest
                    ? new Admission(false, ErrorCodes.ServerNotInitialized, $"The server is not initialized: send 'initialize' before '{method}'.")
                    : new Admission(false);
            case Running:
                if (method == "shutdown" && isRequest)
                {
                    Volatile.Write(ref _state, ShuttingDown);
                }
                return Admission.Admit;
            default:
                return isRequest
                    ? new Admission(false, ErrorCodes.InvalidRequest, $"The server is shutting down: '{method}' is not accepted after 'shutdown'.")
                    : new Admission(false);
        }
    }
}
