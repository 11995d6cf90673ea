using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// Reloads the workspace after its project, solution or MSBuild files changed: in the background, with work-done
/// progress, the loaded workspace serving until the new one is ready. Requests made while a reload runs are coalesced
/// into one more reload after it (a checkout touches many project files at once).
/// </summary>
internal sealed class WorkspaceReloader(IRefineEngine engine, ServerState state, ClientConnection client, BackgroundWork background, FixItWorker fixIts, ILogger<WorkspaceReloader> logger)
{
    private readonly object _gate = new();
    private readonly ILogger _logger = logger;
    private bool _running;
    private bool _again;

    public void Request(IReadOnlyList<string> triggers)
    {
        lock (_gate)
        {
            if (_running)
            {
                _again = true;
                return;
            }
            _running = true;
        }
        background.Run("workspace reload", async cancellationToken =>
        {
            try
            {
                var reason = triggers.Count == 1 ? Path.GetFileName(triggers[0]) : $"{triggers.Count} project files";
                while (true)
                {
                    await ReloadOnceAsync(reason, cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        if (!_again) break;
                        _again = false;
                    }
                    reason = "more project files";
                }
            }
            finally
            {
                lock (_gate) _running = false;
            }
        });
    }

    private async Task ReloadOnceAsync(string reason, CancellationToken cancellationToken)
    {
        await using var progress = await WorkDoneProgress.CreateAsync(client, state, null, _logger, cancellationToken).ConfigureAwait(false);
        progress.Begin("OCI: Reloading workspace", $"{reason} changed", cancellable: false);
        var report = await engine.ReloadWorkspaceAsync(new CallbackProgress<string>(m => progress.Report(m)), cancellationToken).ConfigureAwait(false);
        var summary = report is null ? "no workspace open" : $"Reloaded {report.LoadedProjects.Count} project(s) ({reason} changed)";
        if (report is not null)
        {
            foreach (var problem in report.Problems)
            {
                await client.LogMessageAsync(MessageType.Warning, $"Workspace: {problem}").ConfigureAwait(false);
            }
        }
        await client.LogMessageAsync(MessageType.Info, summary).ConfigureAwait(false);
        await progress.EndAsync(summary).ConfigureAwait(false);
        fixIts.QueueAll();
    }
}
