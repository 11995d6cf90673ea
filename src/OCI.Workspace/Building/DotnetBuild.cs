using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Building;

/// <summary>The outcome of building some projects in the shadow copy.</summary>
public sealed record BuildOutcome(bool Succeeded, bool TimedOut, IReadOnlyList<CompilerDiagnostic> Diagnostics, string Output, TimeSpan Elapsed);

/// <summary>
/// Runs <c>dotnet build</c> on projects of the shadow copy. Options chosen for a loop that builds again and again:
/// <c>--no-restore</c> once packages are restored (restore evaluates every project and costs seconds), no terminal
/// logger and no summary (one canonical line per diagnostic, parsed by <see cref="BuildOutputParser"/>),
/// <c>-nodeReuse:false</c> (no MSBuild node outlives the call, so a timeout's tree kill leaves nothing behind),
/// GenerateFullPaths so diagnostics carry absolute paths we can map back.
/// The build runs in the shadow copy's <see cref="IsolationScope"/> (sandboxed where available: no network, only the
/// copy writable). Restore needs the network and the user's NuGet configuration, so when one is needed it runs first,
/// outside the sandbox, with the server's environment: <c>dotnet restore</c> evaluates project files and downloads
/// packages but compiles and runs no C# — and candidates change only C# files, so the project files it evaluates are
/// the user's own (as an IDE's automatic restore evaluates them).
/// </summary>
public static class DotnetBuild
{
    public static async Task<BuildOutcome> BuildAsync(
        IReadOnlyList<string> projectPaths,
        string workingDirectory,
        bool restore,
        TimeSpan timeout,
        Func<string, string> mapPath,
        IsolationScope scope,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<CompilerDiagnostic>();
        var output = new System.Text.StringBuilder();
        var elapsed = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + timeout;
        foreach (var project in projectPaths)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return new BuildOutcome(false, true, diagnostics, output.ToString(), elapsed);
            if (restore)
            {
                var restored = await ProcessRunner.RunAsync(
                    "dotnet", DotnetCommandLine.Restore(project),
                    workingDirectory, remaining, cancellationToken).ConfigureAwait(false);
                elapsed += restored.Elapsed;
                if (!restored.Succeeded)
                {
                    output.Append(restored.StandardOutput).Append(restored.StandardError);
                    diagnostics.AddRange(BuildOutputParser.Parse(restored.StandardOutput + "\n" + restored.StandardError, mapPath));
                    return new BuildOutcome(false, restored.TimedOut, diagnostics, output.ToString(), elapsed);
                }
                remaining = deadline - DateTime.UtcNow;
            }
            var result = await ProcessRunner.RunAsync(scope.Launch("dotnet", DotnetCommandLine.Build(project), workingDirectory), scope.Sandbox, remaining, cancellationToken).ConfigureAwait(false);
            elapsed += result.Elapsed;
            output.Append(result.StandardOutput).Append(result.StandardError);
            diagnostics.AddRange(BuildOutputParser.Parse(result.StandardOutput + "\n" + result.StandardError, mapPath));
            if (result.TimedOut) return new BuildOutcome(false, true, diagnostics, output.ToString(), elapsed);
            if (!result.Succeeded) return new BuildOutcome(false, false, diagnostics, output.ToString(), elapsed);
        }
        return new BuildOutcome(true, false, diagnostics, output.ToString(), elapsed);
    }
}
