using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// Opens the client's workspace folders in the engine after <c>initialized</c> (every folder: multi-root), each with
/// cancellable work-done progress. Load
/// problems reach the user (showMessage) and the output log (logMessage); the server serves requests meanwhile.
/// </summary>
internal sealed class WorkspaceFolderLoader(IRefineEngine engine, ServerState state, Func<ClientConnection> client, ILogger logger)
{
    private readonly object _gate = new();
    private (string Token, CancellationTokenSource Source)? _loading;

    /// <summary>The folders to open: every workspace folder, else rootUri, else rootPath.</summary>
    public static IReadOnlyList<string> FindRoots(InitializeParams? parameters)
    {
        if (parameters is null)
        {
            return [];
        }
        var folders = (parameters.WorkspaceFolders ?? []).Select(f => UriPaths.TryGetLocalPath(f.Uri)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (folders.Count > 0)
        {
            return folders;
        }
        var root = UriPaths.TryGetLocalPath(parameters.RootUri) ?? (string.IsNullOrWhiteSpace(parameters.RootPath) ? null : parameters.RootPath);
        return root is null ? [] : [root];
    }

    /// <summary>Loads every workspace folder the client named at initialize, one after the other.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var roots = FindRoots(state.InitializeParams);
        if (roots.Count == 0)
        {
            logger.LogInformation("No workspace folder: serving single files");
            return;
        }
        foreach (var root in roots)
        {
            await LoadFolderAsync(root, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads one workspace folder (added at initialize or by workspace/didChangeWorkspaceFolders).</summary>
    public async Task LoadFolderAsync(string root, CancellationToken cancellationToken)
    {
        using var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var progress = await WorkDoneProgress.CreateAsync(client(), state, null, logger, source.Token).ConfigureAwait(false);
        if (progress.Token is { } token)
        {
            lock (_gate)
            {
                _loading = (token.GetRawText(), source);
            }
        }
        progress.Begin("OCI: Loading workspace", root, cancellable: true);
        logger.LogDebug("Load timing: loading {Root} starts", root);
        try
        {
            var report = await engine.OpenWorkspaceAsync(root, new CallbackProgress<string>(m => progress.Report(m)), source.Token).ConfigureAwait(false);
            foreach (var problem in report.Problems)
            {
                await client().LogMessageAsync(MessageType.Warning, $"Workspace: {problem}").ConfigureAwait(false);
            }
            var summary = $"Loaded {report.LoadedProjects.Count} project(s) from {root}";
            if (report.Problems.Count > 0)
            {
                await client().ShowMessageAsync(MessageType.Warning,
                    $"OCI: {summary} with {report.Problems.Count} problem(s): {report.Problems[0]}").ConfigureAwait(false);
            }
            await client().LogMessageAsync(MessageType.Info, summary).ConfigureAwait(false);
            await progress.EndAsync(summary).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested)
        {
            await progress.EndAsync("cancelled").ConfigureAwait(false);
            await client().LogMessageAsync(MessageType.Info, $"Loading {root} was cancelled.").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Opening the workspace {Root} failed", root);
            await progress.EndAsync("failed").ConfigureAwait(false);
            await client().ShowMessageAsync(MessageType.Error, $"OCI: the workspace {root} could not be loaded: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _loading = null;
            }
        }
    }

    public bool CancelByProgressToken(JsonElement token)
    {
        lock (_gate)
        {
            if (_loading is { } loading && loading.Token == token.GetRawText())
            {
                loading.Source.Cancel();
                return true;
            }
        }
        return false;
    }
}
