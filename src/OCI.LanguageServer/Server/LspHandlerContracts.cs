namespace OCI.LanguageServer.Server;

/// <summary>
/// How a handler's work is ordered against the messages that arrive after it. Messages are dispatched one at a time
/// in arrival order on a non-concurrent context, each up to its first await.
/// </summary>
internal enum HandlerOrdering
{
    /// <summary>Mutates document or server state: the change is complete before the next message is dispatched (it does not await before it).</summary>
    InOrder,

    /// <summary>Reads state at its start, then may run alongside later messages (long work awaits freely).</summary>
    Concurrent,
}

/// <summary>
/// What every handler declares, as static members so that the method name is written once and the compiler checks it
/// is there. <typeparamref name="TSelf"/> lets <see cref="HandlerRegistry"/> read them from an instance's type.
/// </summary>
internal interface ILspHandler<TSelf> where TSelf : ILspHandler<TSelf>
{
    /// <summary>The LSP method this handler serves.</summary>
    static abstract string Method { get; }

    static abstract HandlerOrdering Ordering { get; }
}

/// <summary>A request handler: params in, result out. Missing params answer -32602 unless <see cref="WhenMissing"/> gives a value.</summary>
internal interface IRequestHandler<TSelf, TParams, TResult> : ILspHandler<TSelf>
    where TSelf : IRequestHandler<TSelf, TParams, TResult>
    where TParams : class
{
    /// <summary>The params to use when a request carries none (null: the request is invalid).</summary>
    static virtual TParams? WhenMissing => null;

    Task<TResult> HandleAsync(TParams parameters, CancellationToken cancellationToken);
}

/// <summary>A notification handler; synchronous, so it runs to completion before the next message. Missing params drop the notification unless <see cref="WhenMissing"/> gives a value.</summary>
internal interface INotificationHandler<TSelf, TParams> : ILspHandler<TSelf>
    where TSelf : INotificationHandler<TSelf, TParams>
    where TParams : class
{
    /// <summary>The params to use when a notification carries none (null: it is logged and dropped).</summary>
    static virtual TParams? WhenMissing => null;

    void Handle(TParams parameters);
}

/// <summary>The params of a method that takes none (<c>shutdown</c>, <c>exit</c>).</summary>
internal sealed record NoParams
{
    public static NoParams Value { get; } = new();
}
