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
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private bool _running;

    public void Request(IReadOnlyList<string> triggers)
    {
        lock (_gate)
        {
            _pending.UnionWith(triggers);
            if (_running)
            {
                return;
            }
            _running = true;
        }
        background.Run("workspace reload", async cancellationToken =>
        {
            try
            {
                while (true)
                {
                    string[] batch;
                    lock (_gate)
                    {
                        if (_pending.Count == 0) break;
                        batch = [.. _pending];
                        _pending.Clear();
                    }
                    await ReloadOnceAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                lock (_gate) _running = false;
            }
        });
    }

    private async Task ReloadOnceAsync(IReadOnlyList<string> triggers, CancellationToken cancellationToken)
    {
        var reason = triggers.Count == 1 ? Path.GetFileName(triggers[0]) : $"{triggers.Count} project files";
        await using var progress = await WorkDoneProgress.CreateAsync(client, state, null, _logger, cancellationToken).ConfigureAwait(false);
        progress.Begin("OCI: Reloading workspace", $"{reason} changed", cancellable: false);
        var reports = await engine.ReloadWorkspacesAsync(triggers, new CallbackProgress<string>(m => progress.Report(m)), cancellationToken).ConfigureAwait(false);
        var summary = reports.Count == 0 ? "no workspace open" : $"Reloaded {reports.Sum(r => r.LoadedProjects.Count)} project(s) ({reason} changed)";
        foreach (var problem in reports.SelectMany(r => r.Problems))
        {
            await client.LogMessageAsync(MessageType.Warning, $"Workspace: {problem}").ConfigureAwait(false);
        }
        await client.LogMessageAsync(MessageType.Info, summary).ConfigureAwait(false);
        await progress.EndAsync(summary).ConfigureAwait(false);
        fixIts.QueueAll();
    }
}
