namespace OCI.Workspace.CodeFixes;

/// <summary>
/// One of Roslyn's own code fixes, already applied: its title ("using System.Text;"), the whole-file texts it
/// changes, and how many lines it touches (the ranking's last tie-breaker).
/// </summary>
public sealed record RoslynFix(string Title, string DiagnosticId, IReadOnlyList<FileChange> Changes, int ChangeSize)
{
    /// <summary>The fix writes a stub that throws <c>NotImplementedException</c> (a generated or implemented member).</summary>
    public bool AddsStub { get; init; }
}
