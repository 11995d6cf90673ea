using System.Diagnostics;
using System.Text;
using OCI.Engine;
using OCI.Engine.Refine;
using OCI.LanguageServer.Cli;
using OCI.Workspace;

namespace OCI.LanguageServer.Tests.Cli;

/// <summary>
/// <c>oci refine</c> never misstates or overwrites what the user has: the diff is against the files as they were when
/// the run started, <c>--apply</c> refuses (exit 3, nothing written) when a target changed on disk meanwhile and writes
/// no unverified candidate, and the
/// diff of a CRLF file with a byte order mark is one <c>git apply</c> and <c>patch</c> accept.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class RefineCliSafetyTests
{
    private const string StartText = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Hello() => \"hello\";\n}\n";
    private const string VerifiedText = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Hello() => \"hello, world\";\n}\n";
    private const string UsersEdit = "namespace Demo;\n\n// the user's own edit, made while the run went on\npublic static class Greeter { }\n";

    [Fact]
    public async Task The_diff_is_against_the_file_as_it_was_when_the_run_started()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Greeter.cs", StartText);
        var engine = EngineThatSeesTheUserEditDuringTheRun(file);

        var (exit, stdout, _) = await RunAsync(engine, new RefineCliOptions(folder.Path, "Greeter.cs", Kind: RefineKind.FixDiagnostic));

        Assert.Equal(RefineCommand.ExitVerified, exit);
        Assert.Contains("-    public static string Hello() => \"hello\";\n", stdout, StringComparison.Ordinal);
        Assert.Contains("+    public static string Hello() => \"hello, world\";\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("the user's own edit", stdout, StringComparison.Ordinal);
        Assert.Equal(UsersEdit, File.ReadAllText(file));
    }

    [Fact]
    public async Task Apply_refuses_with_exit_3_and_writes_nothing_when_a_target_changed_on_disk_during_the_run()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Greeter.cs", StartText);
        var engine = EngineThatSeesTheUserEditDuringTheRun(file);

        var (exit, stdout, stderr) = await RunAsync(engine, new RefineCliOptions(folder.Path, "Greeter.cs", Kind: RefineKind.FixDiagnostic, Apply: true));

        Assert.Equal(3, exit); // the exit code --help documents for a refused apply, which scripts test for
        Assert.Contains("+    public static string Hello() => \"hello, world\";", stdout, StringComparison.Ordinal);
        Assert.Contains("error: not applied: Greeter.cs changed on disk since the run started", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("applied to", stderr, StringComparison.Ordinal);
        Assert.Equal(UsersEdit, File.ReadAllText(file));
    }

    [Fact]
    public async Task Apply_of_an_unchanged_file_writes_the_result_and_keeps_its_byte_order_mark()
    {
        using var folder = new TempFolder();
        var file = folder.Path + "/Greeter.cs";
        File.WriteAllText(file, StartText.ReplaceLineEndings("\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var verified = VerifiedText.ReplaceLineEndings("\r\n");
        var engine = new ScriptedRefineEngine { Outcome = (_, _) => new RefineOutcome(true, "Verified.", [new FileChange(file, verified)], 1, RefineStopReason.Verified) };

        var (exit, _, stderr) = await RunAsync(engine, new RefineCliOptions(folder.Path, "Greeter.cs", Kind: RefineKind.FixDiagnostic, Apply: true));

        Assert.Equal(RefineCommand.ExitVerified, exit);
        Assert.Contains("applied to 1 file(s)", stderr, StringComparison.Ordinal);
        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(verified)], File.ReadAllBytes(file));
    }

    [Fact]
    public async Task Apply_does_not_write_an_unverified_candidate_prints_its_diff_and_says_why()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Greeter.cs", StartText);
        var engine = new ScriptedRefineEngine
        {
            Outcome = (_, _) => new RefineOutcome(false, "Not verified.", [new FileChange(file, VerifiedText)], 0, RefineStopReason.NoModel)
            {
                WhatFails = "compiles; 1 test fails: GreeterTests.Hello",
            },
        };

        var (exit, stdout, stderr) = await RunAsync(engine, new RefineCliOptions(folder.Path, "Greeter.cs", Kind: RefineKind.FixDiagnostic, Apply: true));

        Assert.Equal(RefineCommand.ExitNotVerified, exit);
        Assert.Contains("+    public static string Hello() => \"hello, world\";", stdout, StringComparison.Ordinal);
        Assert.Contains("not applied: the diff above is not verified (compiles; 1 test fails: GreeterTests.Hello); --apply writes only a verified result", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("applied to", stderr, StringComparison.Ordinal);
        Assert.Equal(StartText, File.ReadAllText(file));
    }

    [Fact]
    public async Task Help_documents_the_exit_codes_including_the_refused_apply()
    {
        var run = await CliRun.StartAsync("refine", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("3 --apply refused", run.Stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    /// <summary>
    /// The real CLI on a copy of samples/FixDiagnostic whose Slug.cs has CRLF line endings and a byte order mark (as
    /// the CsvHelper corpus's files have): the printed diff passes <c>git apply --check</c> and <c>patch --dry-run</c>,
    /// and applied with git it gives the file <c>--apply</c> would write.
    /// </summary>
    [Fact]
    public async Task The_diff_of_a_crlf_file_with_a_byte_order_mark_is_accepted_by_git_apply_and_patch()
    {
        using var sample = WorkspaceCopy.OfSample("FixDiagnostic");
        var slug = sample.PathOf(FixDiagnosticCliWorkspace.SlugPath);
        var crlf = File.ReadAllText(slug).ReplaceLineEndings("\r\n");
        File.WriteAllText(slug, crlf, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await GitAsync(sample.Root, null, "init", "-q");
        await GitAsync(sample.Root, null, "-c", "core.autocrlf=false", "add", "-A");
        await GitAsync(sample.Root, null, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start");

        var run = await CliRun.StartAsync(["refine", sample.Root, "--file", FixDiagnosticCliWorkspace.SlugPath, "--kind", "fixDiagnostic"],
            Path.Combine(sample.Container, "tmp"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("namespace TextTools;\r\n", run.Stdout, StringComparison.Ordinal);
        await GitAsync(sample.Root, run.Stdout, "apply", "--check", "-");
        await ProcessAsync("patch", sample.Root, run.Stdout, "-p1", "--dry-run");
        await GitAsync(sample.Root, run.Stdout, "apply", "-");
        var applied = File.ReadAllBytes(slug);
        Assert.Equal([0xEF, 0xBB, 0xBF], applied[..3]);
        var text = Encoding.UTF8.GetString(applied[3..]);
        Assert.StartsWith("using System.Text;", text, StringComparison.Ordinal);
        Assert.EndsWith(crlf, text, StringComparison.Ordinal);
    }

    private static ScriptedRefineEngine EngineThatSeesTheUserEditDuringTheRun(string file) => new()
    {
        Outcome = (_, _) =>
        {
            File.WriteAllText(file, UsersEdit); // the user saves the file while the engine works
            return new RefineOutcome(true, "Verified.", [new FileChange(file, VerifiedText)], 1, RefineStopReason.Verified);
        },
    };

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(ScriptedRefineEngine engine, RefineCliOptions options)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = await RefineCommand.RunAsync(engine, options, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Task GitAsync(string folder, string? input, params string[] arguments) => ProcessAsync("git", folder, input, arguments);

    private static async Task ProcessAsync(string program, string folder, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            // Byte for byte: the diff's CRs and byte order mark are what is being tested.
            var bytes = new UTF8Encoding(false).GetBytes(input);
            await process.StandardInput.BaseStream.WriteAsync(bytes);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}{await stderr}\n--- input ---\n{input}");
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("oci-cli-safety-").FullName;

        public string Write(string name, string text)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
