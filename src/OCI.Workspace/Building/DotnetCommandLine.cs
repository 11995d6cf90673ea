namespace OCI.Workspace.Building;

/// <summary>
/// The <c>dotnet</c> command lines the workspace runs, built in one place so that every restore and build takes the same
/// options: no logo, no terminal logger and no summary (one canonical line per diagnostic, parsed by
/// <see cref="BuildOutputParser"/>), quiet, and <c>-nodeReuse:false</c> (no MSBuild node outlives the call, so a
/// timeout's tree kill leaves nothing behind).
/// </summary>
public static class DotnetCommandLine
{
    private static readonly string[] CommonOptions = ["-nologo", "-tl:off", "-v:q", "-clp:NoSummary;ForceNoAlign", "-nodeReuse:false"];

    /// <summary><c>dotnet restore</c> of one project or solution.</summary>
    public static IReadOnlyList<string> Restore(string projectOrSolution) => ["restore", projectOrSolution, .. CommonOptions];

    /// <summary><c>dotnet build</c> of one project, packages already restored, diagnostics with absolute paths.</summary>
    public static IReadOnlyList<string> Build(string project) => ["build", project, "--no-restore", .. CommonOptions, "-p:GenerateFullPaths=true"];
}
