using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using OCI.Engine.Workspaces;
using OCI.Workspace;

namespace OCI.Engine.Suggestions;

/// <summary>
/// The editor's open documents: their unsaved texts (overlaid on the host that serves each, and again on a host loaded
/// later), their semantic diagnostics (computed in the background, <see cref="DiagnosticsCache"/>), and what is read from
/// them without a model or a build: the actions at a range, the diagnostics codeAction offers fixes for, the compile
/// errors background fix-its start from. Thread-safe.
/// </summary>
internal sealed class EditorDocuments(WorkspaceHosts hosts, CodeFixWarmup codeFixes, ILogger logger)
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly DiagnosticsCache _diagnostics = new(TimeSpan.FromMilliseconds(250), logger);

    /// <summary>The open documents' texts, to overlay on a host just loaded.</summary>
    public KeyValuePair<string, string>[] Texts()
    {
        lock (_gate) return [.. _texts];
    }

    public void Set(string fullPath, string text)
    {
        lock (_gate) _texts[fullPath] = text;
        if (hosts.For(fullPath) is { } host && TryOverlay(host, fullPath, text) && Find(host.CurrentSolution, fullPath) is { } document)
        {
            _diagnostics.Schedule(document);
        }
    }

    /// <summary>The document closed: the disk's text counts again. True when that changed the workspace.</summary>
    public bool Close(string fullPath)
    {
        lock (_gate) _texts.Remove(fullPath);
        _diagnostics.Remove(fullPath);
        if (hosts.For(fullPath) is not { } host) return false;
        var before = host.CurrentSolution;
        try
        {
            host.RemoveOverlay(fullPath);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            logger.LogDebug(e, "No overlay to remove for {Path}", fullPath);
        }
        return !ReferenceEquals(before, host.CurrentSolution);
    }

    public bool TryOverlay(IWorkspaceHost host, string path, string text)
    {
        try
        {
            host.SetOverlay(path, text);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            logger.LogDebug(e, "{Path} is outside the loaded projects; kept as an editor buffer only", path);
            return false;
        }
    }

    /// <summary>The document at <paramref name="fullPath"/> in the host that serves it, or null when it is in no loaded project.</summary>
    public Document? Find(string fullPath) => hosts.For(fullPath) is { } host ? Find(host.CurrentSolution, fullPath) : null;

    public static Document? Find(Solution solution, string path)
    {
        var id = solution.GetDocumentIdsWithFilePath(path).FirstOrDefault();
        return id is null ? null : solution.GetDocument(id);
    }

    /// <summary>Diagnoses the given open documents now (the first load: their code actions need them before anything else).</summary>
    public async Task DiagnoseAsync(Solution solution, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            if (Find(solution, path) is { } document) await _diagnostics.RefreshAsync(document, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A project's diagnostics depend on its own files and on the projects it references: those of the changed
    /// projects and of their dependents are stale, even for an open file whose own text did not change.
    /// </summary>
    public void InvalidateDependents(Solution solution, IReadOnlyList<string> changedProjects)
    {
        var touched = solution.Projects.Where(p => p.FilePath is not null && changedProjects.Contains(p.FilePath, StringComparer.Ordinal)).Select(p => p.Id).ToList();
        if (touched.Count == 0) return;
        var affected = new HashSet<ProjectId>(touched);
        var graph = solution.GetProjectDependencyGraph();
        foreach (var id in touched) affected.UnionWith(graph.GetProjectsThatTransitivelyDependOnThisProject(id));
        foreach (var path in OpenPaths())
        {
            foreach (var id in solution.GetDocumentIdsWithFilePath(path))
            {
                if (!affected.Contains(id.ProjectId)) continue;
                _diagnostics.Remove(path);
                if (solution.GetDocument(id) is { } document) _diagnostics.Schedule(document);
            }
        }
    }

    /// <summary>Every open document's diagnostics are about an older workspace (a reload).</summary>
    public void ForgetDiagnostics()
    {
        foreach (var path in OpenPaths()) _diagnostics.Remove(path);
    }

    public async Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(string fullPath, LinePositionSpan range, IReadOnlyList<EditorDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (Find(fullPath) is not { } document) return []; // outside every loaded project: nothing here could be verified
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return [];

        IEnumerable<Diagnostic> known = root.GetDiagnostics();
        if (_diagnostics.TryGet(document) is { } semantic) known = known.Concat(semantic);
        else _diagnostics.Schedule(document);
        return ActionSuggester.Suggest(fullPath, root, text, range, diagnostics ?? [], known, codeFixes.IsReady);
    }

    /// <summary>Computes the semantic diagnostics that <see cref="SuggestActionsAsync"/> reuses now (instead of after the debounce).</summary>
    public async Task RefreshDiagnosticsAsync(string fullPath, CancellationToken cancellationToken)
    {
        if (Find(fullPath) is { } document) await _diagnostics.RefreshAsync(document, cancellationToken).ConfigureAwait(false);
        await codeFixes.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The diagnostics codeAction offers fixes for (<c>oci/documentDiagnostics</c>), from the same cache it reads.</summary>
    public async Task<OpenDocumentDiagnostics?> GetDiagnosticsAsync(string fullPath, CancellationToken cancellationToken)
    {
        if (Find(fullPath) is not { } document) return null;
        if (await _diagnostics.GetOrComputeAsync(document, cancellationToken).ConfigureAwait(false) is not { } diagnostics) return null;
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return new OpenDocumentDiagnostics(text.ToString(), [.. diagnostics
            .Where(d => d.Location.IsInSource && d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new OpenDocumentDiagnostic(d.Id, d.Severity, d.GetMessage(CultureInfo.InvariantCulture), d.Location.GetLineSpan().Span))]);
    }

    /// <summary>The compile errors of the document's current text, or null when it is in no loaded project.</summary>
    public async Task<DocumentErrors?> GetErrorsAsync(string fullPath, CancellationToken cancellationToken)
    {
        if (Find(fullPath) is not { } document) return null;
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return null;
        var errors = (await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource && d.Location.SourceTree == model.SyntaxTree)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => new DocumentError(d.Id, d.GetMessage(CultureInfo.InvariantCulture), d.Location.GetLineSpan().Span))
            .ToList();
        return new DocumentErrors(text.ToString(), errors);
    }

    private string[] OpenPaths()
    {
        lock (_gate) return [.. _texts.Keys];
    }
}
