namespace OCI.Workspace.Verification;

/// <summary>A diagnostic a candidate must remove, matched by id and message (positions move when code is edited).</summary>
public sealed record DiagnosticToRemove(string Id, string Message);
