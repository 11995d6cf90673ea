using Microsoft.CodeAnalysis.Text;
using OCI.Workspace;

namespace OCI.Engine.Suggestions;

/// <summary>A compile error in an open document (UTF-16 positions, as Roslyn counts them).</summary>
public sealed record DocumentError(string Id, string Message, LinePositionSpan Range);

/// <summary>The compile errors of one exact text of a document: the caller checks that the text is still the editor's.</summary>
public sealed record DocumentErrors(string Text, IReadOnlyList<DocumentError> Errors);

/// <summary>
/// A fix that was verified for real (compile, build, tests) before the user asked for it.
/// <paramref name="Title"/> says what it does and what was verified: "Add using System.Text — builds, 12/12 tests".
/// </summary>
public sealed record VerifiedFix(DocumentError Error, string Title, IReadOnlyList<FileChange> Changes);

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
