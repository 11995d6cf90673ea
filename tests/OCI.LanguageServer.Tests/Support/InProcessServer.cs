using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Tests.Support;

/// <summary>
/// The same server class the executable runs, in this process over two pipes, so that tests can give it a scripted
/// engine. The client still speaks framed JSON-RPC bytes.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();

    public InProcessServer(IRefineEngine engine, LanguageServerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var host = new LanguageServerHost(_toServer.Reader.AsStream(), _fromServer.Writer.AsStream(), engine, loggerFactory ?? NullLoggerFactory.Instance, options);
        Run = Task.Run(async () =>
        {
            try
            {
                return await host.RunAsync();
            }
            finally
            {
                await _fromServer.Writer.CompleteAsync();
            }
        });
        Client = new LspTestClient(_toServer.Writer.AsStream(), _fromServer.Reader.AsStream());
    }

    public LspTestClient Client { get; }

    /// <summary>The server's exit code when it ends.</summary>
    public Task<int> Run { get; }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await Run.WaitAsync(OCI.Testing.TestWaits.Seconds(10));
        await Client.DisposeAsync();
    }
}
