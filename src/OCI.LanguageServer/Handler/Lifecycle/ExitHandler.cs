using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Lifecycle;

/// <summary><c>exit</c>: ends the process, with code 0 when <c>shutdown</c> came first and 1 otherwise (LSP's rule).</summary>
[LspMethod("exit")]
internal sealed class ExitHandler(LspServices services)
{
    public void Handle() => services.Lifetime.Exit(services.State.Gate.IsShutdownRequested ? 0 : 1);
}
