namespace OCI.LanguageServer.Server;

/// <summary>
/// Marks a handler class with the LSP method it serves. A handler has exactly one public instance method named
/// <c>HandleAsync</c> (requests, and notifications that await) or <c>Handle</c> (synchronous notifications), taking the
/// params object and optionally a <see cref="CancellationToken"/> (in the manner of Roslyn's request handlers).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class LspMethodAttribute(string method) : Attribute
{
    public string Method { get; } = method;
}
