using OCI.Workspace.Processes;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests.Support;

/// <summary>
/// The reference for Microsoft.Testing.Platform projects: <c>dotnet test</c> itself (MTP mode, under the project's
/// global.json), asked for the same structured report each framework writes, parsed per test.
/// </summary>
internal static class MtpReports
{
    public static async Task<IReadOnlyList<TestCaseResult>> DotnetTestAsync(string workingDirectory, string project, TestFramework framework, string resultsDirectory)
    {
        Directory.CreateDirectory(resultsDirectory);
        var arguments = new List<string> { "test", "--project", project, "--no-build", "--results-directory", resultsDirectory, "--no-ansi" };
        arguments.AddRange(framework switch
        {
            TestFramework.XunitV3 => ["--report-xunit-trx", "--report-xunit-trx-filename", "reference.trx"],
            TestFramework.NUnit => ["--settings", WriteNUnitSettings(resultsDirectory)],
            _ => ["--report-trx", "--report-trx-filename", "reference.trx"],
        });
        var run = await ProcessRunner.RunAsync("dotnet", arguments, workingDirectory, RunnerComparison.Timeout, CancellationToken.None);
        Assert.True(run.ExitCode is 0 or 2, $"dotnet test exited {run.ExitCode}:\n{run.StandardOutput}{run.StandardError}");
        var results = new List<TestCaseResult>();
        foreach (var file in Directory.EnumerateFiles(resultsDirectory, "*.*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".trx", StringComparison.Ordinal)) results.AddRange(TrxParser.Parse(File.ReadAllText(file)).Results);
            else if (file.EndsWith(".xml", StringComparison.Ordinal)) results.AddRange(NUnitXmlParser.Parse(File.ReadAllText(file)).Results);
        }
        Assert.NotEmpty(results);
        return results;
    }

    private static string WriteNUnitSettings(string folder)
    {
        var path = Path.Combine(folder, "reference.runsettings");
        File.WriteAllText(path, $"<RunSettings><NUnit><TestOutputXml>{folder}</TestOutputXml></NUnit></RunSettings>");
        return path;
    }
}
