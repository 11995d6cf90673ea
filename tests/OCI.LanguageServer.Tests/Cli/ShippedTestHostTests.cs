using System.Diagnostics;

namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// The server built or published to a folder of the user's choice (<c>-o DIR</c>) ships the warm test host in
/// <c>DIR/oci-testhost/</c>, and its rounds use it; without it, the log says once, at Information level, that every
/// round falls back to <c>dotnet test</c>. The build is of a clean copy of src/ (no earlier bin/ to find by luck).
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class ShippedTestHostTests(ShippedTestHostTests.ServerBuiltElsewhere server) : IClassFixture<ShippedTestHostTests.ServerBuiltElsewhere>
{
    private const string MissingHostLine = "The warm test host (oci-testhost/ beside the server";

    [Fact]
    public void Build_and_publish_to_an_output_folder_ship_the_test_host_beside_the_server()
    {
        foreach (var folder in new[] { server.BuildOutput, server.PublishOutput })
        {
            Assert.True(File.Exists(Path.Combine(folder, "OCI.LanguageServer.dll")), folder);
            Assert.True(File.Exists(Path.Combine(folder, "oci-testhost", "OCI.TestHost.dll")), folder);
            Assert.True(File.Exists(Path.Combine(folder, "oci-testhost", "OCI.TestHost.runtimeconfig.json")), folder);
            Assert.True(File.Exists(Path.Combine(folder, "oci-testhost", "xunit.abstractions.dll")), folder);
            Assert.False(File.Exists(Path.Combine(folder, "OCI.TestHost.dll")), "the host's build went into the server's folder: " + folder);
        }
    }

    [Fact]
    public async Task A_round_of_the_server_built_with_an_output_folder_runs_its_tests_in_the_warm_host()
    {
        using var sample = WorkspaceCopy.OfSample("FixDiagnostic");
        var run = await CliRun.StartAsync(["refine", sample.Root, "--file", FixDiagnosticCliWorkspace.SlugPath, "--kind", "fixDiagnostic"],
            Path.Combine(sample.Container, "tmp"), serverDll: Path.Combine(server.BuildOutput, "OCI.LanguageServer.dll"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(warm test host)", run.Stderr);
        Assert.DoesNotContain(MissingHostLine, run.Stderr);
    }

    [Fact]
    public async Task Without_the_test_host_the_log_says_so_once_at_information_level()
    {
        using var sample = WorkspaceCopy.OfSample("FixDiagnostic");
        var withoutHost = Path.Combine(sample.Container, "server-without-host");
        ServerBuiltElsewhere.CopyDirectory(server.BuildOutput, withoutHost, skip: "oci-testhost");
        var run = await CliRun.StartAsync(["refine", sample.Root, "--file", FixDiagnosticCliWorkspace.SlugPath, "--kind", "fixDiagnostic"],
            Path.Combine(sample.Container, "tmp"), serverDll: Path.Combine(withoutHost, "OCI.LanguageServer.dll"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(dotnet test)", run.Stderr);
        var lines = run.Stderr.Split('\n').Where(l => l.Contains(MissingHostLine, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(" info: ", line, StringComparison.Ordinal);
    }

    /// <summary>A copy of src/ (and the repository's build files) built with <c>-o</c> and published with <c>-o</c>, once for the class.</summary>
    public sealed class ServerBuiltElsewhere : IAsyncLifetime
    {
        private readonly string _container = Path.Combine(Path.GetTempPath(), "oci-e2e", "server-" + Guid.NewGuid().ToString("N")[..12]);

        public string BuildOutput => Path.Combine(_container, "build-out");

        public string PublishOutput => Path.Combine(_container, "publish-out");

        public async Task InitializeAsync()
        {
            var repository = Path.Combine(_container, "repo");
            Directory.CreateDirectory(repository);
            foreach (var file in Directory.EnumerateFiles(FixturePaths.RepositoryRoot).Where(f => Path.GetFileName(f) is "global.json" or "NuGet.config" or "nuget.config" || Path.GetFileName(f).StartsWith("Directory.", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(repository, Path.GetFileName(file)));
            }
            CopyDirectory(Path.Combine(FixturePaths.RepositoryRoot, "src"), Path.Combine(repository, "src"));
            var project = Path.Combine(repository, "src", "OCI.LanguageServer");
            await DotnetAsync(repository, "build", project, "-c", "Release", "-o", BuildOutput);
            await DotnetAsync(repository, "publish", project, "-c", "Release", "-o", PublishOutput);
        }

        public Task DisposeAsync()
        {
            try { Directory.Delete(_container, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return Task.CompletedTask;
        }

        internal static void CopyDirectory(string source, string target, string? skip = null)
        {
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            foreach (var directory in Directory.EnumerateDirectories(source))
            {
                var name = Path.GetFileName(directory);
                if (name is "bin" or "obj" || name == skip) continue;
                CopyDirectory(directory, Path.Combine(target, name));
            }
        }

        private static async Task DotnetAsync(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15)); // a busy 2-core machine builds Roslyn-heavy projects slowly
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{await stdout}{await stderr}");
        }
    }
}
