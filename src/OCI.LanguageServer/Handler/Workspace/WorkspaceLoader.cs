using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Workspace;

/// <summary>
/// Opens the client's workspace in the engine after <c>initialized</c>, with cancellable work-done progress. Load
/// problems reach the user (showMessage) and the output log (logMessage); the server serves requests meanwhile.
/// </summary>
internal sealed class WorkspaceLoader(IRefineEngine engine, ServerState state, Func<ClientConnection> client, ILogger logger)
{
    private readonly object _gate = new();
    private (string Token, CancellationTokenSource Source)? _loading;

    /// <summary>The folder to open: the first workspace folder, else rootUri, else rootPath.</summary>
    public static string? FindRoot(InitializeParams? parameters)
    {
        if (parameters is null)
        {
            return null;
        }
        foreach (var folder in parameters.WorkspaceFolders ?? [])
        {
            if (UriPaths.TryGetLocalPath(folder.Uri) is { } path)
            {
                return path;
            }
        }
        return UriPaths.TryGetLocalPath(parameters.RootUri) ?? (string.IsNullOrWhiteSpace(parameters.RootPath) ? null : parameters.RootPath);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var root = FindRoot(state.InitializeParams);
        if (root is null)
        {
            logger.LogInformation("No workspace folder: serving single files");
            return;
        }
        if (state.InitializeParams?.WorkspaceFolders is { Count: > 1 } folders)
        {
            await client().LogMessageAsync(MessageType.Info, $"OCI works in one folder: {root} (ignoring {folders.Count - 1} more).").ConfigureAwait(false);
        }

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
