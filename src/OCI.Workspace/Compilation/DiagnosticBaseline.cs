using OCI.Workspace.Verification;

namespace OCI.Workspace.Compilation;

/// <summary>
/// Decides which diagnostics of a candidate are new compared with the solution before the edit. Errors that already
/// existed are not the candidate's fault and must not make it look worse. A diagnostic counts as existing when the
/// baseline has one with the same id, message and file and either the same position after shifting lines through the
/// file's <see cref="LineMap"/>, or the same (trimmed) source line text; each baseline diagnostic matches at most once,
/// so a second copy of an old error is new.
/// </summary>
public static class DiagnosticBaseline
{
    public static IReadOnlyList<CompilerDiagnostic> MarkNew(
        IReadOnlyList<CompilerDiagnostic> before,
        IReadOnlyList<CompilerDiagnostic> after,
        Func<string?, LineMap> lineMapForPath)
    {
        var buckets = new Dictionary<(string Id, string Message, string Path), List<CompilerDiagnostic>>();
        foreach (var diagnostic in before)
        {
            var key = (diagnostic.Id, diagnostic.Message, diagnostic.Path ?? string.Empty);
            if (!buckets.TryGetValue(key, out var list)) buckets[key] = list = [];
            list.Add(diagnostic);
        }

        var result = new List<CompilerDiagnostic>(after.Count);
        foreach (var diagnostic in after)
        {
            var key = (diagnostic.Id, diagnostic.Message, diagnostic.Path ?? string.Empty);
            CompilerDiagnostic? match = null;
            if (buckets.TryGetValue(key, out var candidates) && candidates.Count > 0)
            {
                var oldLine = lineMapForPath(diagnostic.Path).ToOldLine(diagnostic.Line - 1) + 1;
                match = candidates.FirstOrDefault(c => oldLine is not null && c.Line == oldLine && c.Column == diagnostic.Column)
                    ?? candidates.FirstOrDefault(c => oldLine is not null && c.Line == oldLine)
                    ?? candidates.FirstOrDefault(c => c.SourceLine is not null && diagnostic.SourceLine is not null
                        && string.Equals(c.SourceLine.Trim(), diagnostic.SourceLine.Trim(), StringComparison.Ordinal));
                if (match is not null) candidates.Remove(match);
            }
            result.Add(diagnostic with { IsNew = match is null });
        }
        return result;
    }
}
