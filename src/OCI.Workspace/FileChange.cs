namespace OCI.Workspace;

/// <summary>
/// One file's complete new text. Candidates are expressed as whole-file texts rather than ranges so that
/// every layer (Roslyn fork, shadow copy, editor diff) can apply them without re-deriving positions; the server
/// computes the minimal LSP edit from the old and new text.
/// </summary>
/// <param name="Path">Absolute path of the file in the user's workspace.</param>
/// <param name="NewText">The file's full text after the change.</param>
public sealed record FileChange(string Path, string NewText);
