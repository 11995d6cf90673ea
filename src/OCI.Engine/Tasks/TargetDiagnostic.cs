namespace OCI.Engine.Tasks;

/// <summary>
/// The diagnostic a fix-diagnostic task must make go away. Matched by id and message (positions move when code is
/// edited), so a candidate that compiles but leaves the diagnostic in place does not verify.
/// </summary>
public sealed record TargetDiagnostic(string Id, string Message, int Line);
