using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Shadow;

namespace OCI.Workspace.Compilation;

/// <summary>
/// A candidate's changes applied to an immutable baseline solution (a fork: Roslyn reuses the baseline's compilations
/// and re-parses only the changed documents). One fork serves every stage of a check: the in-memory compile, the
/// in-memory emit and the choice of what to build and test, so a candidate is compiled once.
/// </summary>
internal sealed record CandidateSolution(
    Solution Solution,
    IReadOnlySet<ProjectId> ChangedProjects,
    IReadOnlyList<DocumentId> ChangedDocuments,
    IReadOnlyDictionary<string, LineMap> LineMaps,
    IReadOnlyList<string> NotInProject)
{
    /// <param name="linesFrom">The solution whose texts "new" errors are told from, line for line (the current one, when
    /// the fork starts from a recent state of the overlays); <paramref name="solution"/> when null.</param>
    public static CandidateSolution Fork(Solution solution, IReadOnlyList<FileChange> changes, CancellationToken cancellationToken, Solution? linesFrom = null)
    {
        var changedProjects = new HashSet<ProjectId>();
        var changedDocuments = new List<DocumentId>();
        var lineMaps = new Dictionary<string, LineMap>(StringComparer.Ordinal);
        var notInProject = new List<string>();
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = Path.GetFullPath(change.Path);
            var ids = solution.GetDocumentIdsWithFilePath(full);
            if (!ids.IsEmpty)
            {
                var oldText = solution.GetDocument(ids[0])!.GetTextAsync(cancellationToken).GetAwaiter().GetResult().ToString();
                var linesText = linesFrom?.GetDocumentIdsWithFilePath(full).FirstOrDefault() is { } lineId && linesFrom.GetDocument(lineId) is { } lineDocument
                    ? lineDocument.GetTextAsync(cancellationToken).GetAwaiter().GetResult().ToString()
                    : oldText;
                lineMaps[full] = LineMap.Create(linesText, change.NewText);
                // A change to the text the document has (the user's code as a baseline) keeps the solution's own document:
                // its compilation, and the diagnostics the editor already computed in it (TreeDiagnostics), are reused.
                var same = string.Equals(oldText, change.NewText, StringComparison.Ordinal);
                foreach (var id in ids)
                {
                    if (!same) solution = solution.WithDocumentText(id, SourceText.From(change.NewText, System.Text.Encoding.UTF8));
                    changedProjects.Add(id.ProjectId);
                    changedDocuments.Add(id);
                }
                continue;
            }
            if (!full.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                notInProject.Add(full);
                continue;
            }
            // A new C# file: it belongs to the projects whose folder holds it most closely (SDK projects glob **/*.cs).
            var owners = solution.Projects
                .Where(p => p.FilePath is not null && ShadowWorkspace.IsInside(full, Path.GetDirectoryName(p.FilePath)!))
                .GroupBy(p => Path.GetDirectoryName(p.FilePath)!.Length)
                .OrderByDescending(g => g.Key)
                .FirstOrDefault();
            if (owners is null)
            {
                notInProject.Add(full);
                continue;
            }
            foreach (var project in owners)
            {
                var documentId = DocumentId.CreateNewId(project.Id, full);
                solution = solution.AddDocument(documentId, Path.GetFileName(full), SourceText.From(change.NewText, System.Text.Encoding.UTF8), filePath: full);
                changedProjects.Add(project.Id);
            }
        }
        return new CandidateSolution(solution, changedProjects, changedDocuments, lineMaps, notInProject);
    }
}
