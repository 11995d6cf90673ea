using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Workspace.DiskChanges;

/// <summary>
/// Takes source files changed on disk into an immutable solution: a changed file gets its disk text, a created one is
/// added to the project whose folder holds it (the deepest, as SDK projects glob their folder), a deleted one is
/// removed. Files the editor has open (overlays) keep the editor's text. Project and solution files are not handled
/// here: they need a reload.
/// </summary>
internal static class DiskChangeApplier
{
    public static (Solution Solution, IReadOnlyList<ProjectId> Changed) Apply(Solution solution, IReadOnlyList<DiskChange> changes, IReadOnlyDictionary<string, string> overlays)
    {
        var changed = new HashSet<ProjectId>();
        foreach (var change in changes)
        {
            if (!change.IsSource) continue;
            var full = Path.GetFullPath(change.Path);
            var ids = solution.GetDocumentIdsWithFilePath(full);
            var exists = File.Exists(full);
            if (!exists)
            {
                foreach (var id in ids)
                {
                    solution = solution.RemoveDocument(id);
                    changed.Add(id.ProjectId);
                }
                continue;
            }
            if (overlays.ContainsKey(full) && !ids.IsEmpty) continue; // the editor's buffer is the truth for an open file
            var text = overlays.TryGetValue(full, out var overlay) ? overlay : ReadText(full);
            if (text is null) continue;
            var source = SourceText.From(text, System.Text.Encoding.UTF8);
            if (ids.IsEmpty)
            {
                if (OwningProject(solution, full) is not { } project || IsBuildOutput(project, full)) continue;
                var documentId = DocumentId.CreateNewId(project.Id, full);
                solution = solution.AddDocument(DocumentInfo.Create(
                    documentId,
                    Path.GetFileName(full),
                    FoldersOf(project, full),
                    SourceCodeKind.Regular,
                    TextLoader.From(TextAndVersion.Create(source, VersionStamp.Create(), full)),
                    full));
                changed.Add(project.Id);
                continue;
            }
            foreach (var id in ids)
            {
                if (solution.GetDocument(id) is { } document && document.TryGetText(out var current) && current.ContentEquals(source)) continue;
                solution = solution.WithDocumentText(id, source);
                changed.Add(id.ProjectId);
            }
        }
        return (solution, [.. changed]);
    }

    /// <summary>The project whose folder holds the file most closely, or null (a file outside every project).</summary>
    public static Project? OwningProject(Solution solution, string fullPath) =>
        solution.Projects
            .Where(p => p.Language == LanguageNames.CSharp && p.FilePath is not null)
            .Select(p => (Project: p, Folder: Path.GetDirectoryName(p.FilePath!)! + Path.DirectorySeparatorChar))
            .Where(p => fullPath.StartsWith(p.Folder, StringComparison.Ordinal))
            .OrderByDescending(p => p.Folder.Length)
            .Select(p => p.Project)
            .FirstOrDefault();

    /// <summary>bin/ and obj/ hold generated copies the project does not compile as sources.</summary>
    private static bool IsBuildOutput(Project project, string fullPath)
    {
        var relative = Path.GetRelativePath(Path.GetDirectoryName(project.FilePath!)!, fullPath);
        var first = relative.Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    private static IEnumerable<string> FoldersOf(Project project, string fullPath)
    {
        var relative = Path.GetRelativePath(Path.GetDirectoryName(project.FilePath!)!, Path.GetDirectoryName(fullPath)!);
        return relative == "." ? [] : relative.Split(Path.DirectorySeparatorChar);
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // being written (a checkout in progress): the next event brings it
        }
    }
}
