using Microsoft.CodeAnalysis.Text;
using OCI.Workspace;

namespace OCI.Engine.Suggestions;

/// <summary>A compile error in an open document (UTF-16 positions, as Roslyn counts them).</summary>
public sealed record DocumentError(string Id, string Message, LinePositionSpan Range);

/// <summary>The compile errors of one exact text of a document: the caller checks that the text is still the editor's.</summary>
public sealed record DocumentErrors(string Text, IReadOnlyList<DocumentError> Errors);

/// <summary>
/// A fix verified before the user asked for it: it compiles and the tests that reach it pass on the in-memory build.
/// <paramref name="Title"/> says what it does and what was verified ("Add using System.Text — compiles, 12 reaching
/// tests pass · confirming"); <paramref name="Confirmation"/> is the real build and whole suite still to come (null
/// when they already ran).
/// </summary>
public sealed record VerifiedFix(DocumentError Error, string Title, IReadOnlyList<FileChange> Changes, Task<FixConfirmation>? Confirmation = null);

/// <summary>
/// How the real build and the whole suite judged a fix-it shown on its in-memory build: <paramref name="Title"/> replaces
/// the fix-it's title when <paramref name="Confirmed"/>; otherwise the fix-it is withdrawn and <paramref name="Reason"/>
/// says why (a superseded confirmation is neither: nothing more was learnt, the fix-it stays as it is).
/// </summary>
public sealed record FixConfirmation(bool Confirmed, string Title, string? Reason = null, bool Superseded = false);

/// <summary>
/// What the server's background fix-it worker needs from the engine: the errors of a document as it is now, and a
/// fix verified through the same fix-diagnostic path as "Fix with OCI" (Roslyn's fixes; the model only when asked).
/// </summary>
public interface IFixItSource
{
    /// <summary>The document's compile errors in the workspace's current text, or null when it is in no loaded project.</summary>
    Task<DocumentErrors?> GetErrorsAsync(string path, CancellationToken cancellationToken);

    /// <summary>A verified fix for <paramref name="error"/>, or null when nothing verified.</summary>
    Task<VerifiedFix?> VerifyFixAsync(string path, DocumentError error, bool useModel, CancellationToken cancellationToken);
}
