using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Testing;
using OCI.Workspace.Building;
using OCI.Workspace.Compilation;
using OCI.Workspace.Feedback;
using OCI.Workspace.Shadow;
using OCI.Workspace.Tests.Support;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// The outputs the user built seed the shadow copy for the first check; when their PDBs say which texts they were
/// compiled from (the files on disk, or HEAD's for a file broken since), they are recorded as that state's build, so
/// the first check compiles and emits only what it changes. File times cannot say it: a file saved after the build
/// with the same text is newer, and a changed file may not be.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class SeededOutputsTests
{
    [Fact]
    public async Task The_users_outputs_are_the_state_on_disk_exactly_when_their_PDBs_checksums_are_the_files_on_disk()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        await RunnerComparison.BuildAsync(copy.Root, "Passing.slnx"); // the user's own build
        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        var solution = host.CurrentSolution;
        var closure = solution.ProjectIds.ToHashSet();
        var calculator = copy.PathOf("Calc/Calculator.cs");
        var saved = File.ReadAllText(calculator);

        var (state, whyNot) = await UserBuildState.ReadAsync(solution, closure, [], copy.Root, null, CancellationToken.None);
        Assert.True(state is not null, whyNot);

        // Saved again with the same text after the build: newer, and still what was built.
        File.WriteAllText(calculator, saved);
        File.SetLastWriteTimeUtc(calculator, DateTime.UtcNow.AddMinutes(5));
        (state, whyNot) = await UserBuildState.ReadAsync(solution, closure, [], copy.Root, null, CancellationToken.None);
        Assert.True(state is not null, whyNot);

        // The editor's buffer differs from disk: the state recorded is the file on disk, not the buffer.
        var buffer = solution.Projects.SelectMany(p => p.Documents).Single(d => d.FilePath == calculator);
        var edited = solution.WithDocumentText(buffer.Id, Microsoft.CodeAnalysis.Text.SourceText.From(saved.Replace("a + b", "a + b + 0", StringComparison.Ordinal)));
        (state, _) = await UserBuildState.ReadAsync(edited, closure, [calculator], copy.Root, null, CancellationToken.None);
        Assert.Equal(saved, (await state!.GetDocument(buffer.Id)!.GetTextAsync()).ToString());

        // Changed on disk since the build, even with the build's file time: not what was built.
        var built = File.GetLastWriteTimeUtc(solution.Projects.Single(p => p.Name == "Calc").OutputFilePath!);
        File.WriteAllText(calculator, saved.Replace("a + b", "b + a", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(calculator, built.AddMinutes(-5));
        (state, whyNot) = await UserBuildState.ReadAsync(solution, closure, [], copy.Root, null, CancellationToken.None);
        Assert.Null(state);
        Assert.Contains("Calculator.cs changed since Calc", whyNot, StringComparison.Ordinal);

        // Only the library built since: the test project's copy of it is an older build, which its tests would run.
        var testsCopy = Path.Combine(Path.GetDirectoryName(solution.Projects.Single(p => p.Name == "Calc.Tests").OutputFilePath!)!, "Calc.dll");
        var builtCopy = File.ReadAllBytes(testsCopy);
        File.WriteAllBytes(testsCopy, [.. builtCopy, 0]);
        File.WriteAllText(calculator, saved);
        (state, whyNot) = await UserBuildState.ReadAsync(solution, closure, [], copy.Root, null, CancellationToken.None);
        Assert.Null(state);
        Assert.Contains("is not Calc's latest build", whyNot, StringComparison.Ordinal);
        File.WriteAllBytes(testsCopy, builtCopy);

        // A file the build compiled that the project no longer has.
        File.WriteAllText(calculator, saved);
        var tests = copy.PathOf("Calc.Tests/CalculatorTests.cs");
        var testDocument = solution.Projects.SelectMany(p => p.Documents).Single(d => d.FilePath == tests);
        (state, whyNot) = await UserBuildState.ReadAsync(solution.RemoveDocument(testDocument.Id), closure, [], copy.Root, null, CancellationToken.None);
        Assert.Null(state);
        Assert.Contains("which it no longer has", whyNot, StringComparison.Ordinal);

        // An assembly and its own PDB; cut short, or beside another build's PDB, it is not.
        var output = solution.Projects.Single(p => p.Name == "Calc").OutputFilePath!;
        Assert.True(PdbSourceChecksums.IsOwnPdb(output));
        var elsewhere = Path.Combine(copy.Root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllBytes(Path.Combine(elsewhere, "Calc.dll"), File.ReadAllBytes(output)[..2000]);
        File.Copy(Path.ChangeExtension(output, ".pdb"), Path.Combine(elsewhere, "Calc.pdb"));
        Assert.False(PdbSourceChecksums.IsOwnPdb(Path.Combine(elsewhere, "Calc.dll")));
        File.Copy(testsCopy, Path.Combine(elsewhere, "Calc.dll"), overwrite: true);
        File.Copy(Path.ChangeExtension(solution.Projects.Single(p => p.Name == "Calc.Tests").OutputFilePath!, ".pdb"), Path.Combine(elsewhere, "Calc.pdb"), overwrite: true);
        Assert.False(PdbSourceChecksums.IsOwnPdb(Path.Combine(elsewhere, "Calc.dll")));
    }

    [Fact]
    public async Task The_first_checks_test_round_is_readied_ahead_on_the_users_outputs_with_its_host_started()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        await RunnerComparison.BuildAsync(copy.Root, "Passing.slnx"); // the user's own build
        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot, KnownFailuresOnLoad = false };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        Assert.Equal(0, host.RunningTestHosts);

        await host.PrepareChecksAsync(CancellationToken.None);
        Assert.Equal(1, host.RunningTestHosts);
        await host.PrepareChecksAsync(CancellationToken.None); // readied once: nothing more to do
        Assert.Equal(1, host.RunningTestHosts);

        // The check runs on the seeded outputs (only what it changes emitted, no MSBuild) and the host already started.
        var calculator = copy.PathOf("Calc/Calculator.cs");
        var swapped = File.ReadAllText(calculator).Replace("return a + b;", "return b + a;", StringComparison.Ordinal);
        var result = await host.VerifyAsync(
            new VerificationRequest([new FileChange(calculator, swapped)], Build: true, RunTests: true, TestFilter: "FullyQualifiedName~Calc.Tests.CalculatorTests.Add")
            {
                ConfirmLater = true,
            },
            null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, result.Status);
        Assert.False(result.RealBuild);
        Assert.Contains("Calc", host.LastEmittedProjects);
        Assert.Contains(result.Tests, t => t.Name.StartsWith("Calc.Tests.CalculatorTests.Add_Theory", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repository_opened_with_a_file_broken_since_its_build_is_checked_against_the_committed_text_the_build_compiled()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        await RunnerComparison.BuildAsync(copy.Root, "Passing.slnx"); // the user's own build, then the commit
        Git(copy.Root, "init", "-q");
        Git(copy.Root, "add", "-A");
        Git(copy.Root, "-c", "user.name=oci-tests", "-c", "user.email=oci-tests@invalid", "commit", "-q", "-m", "fixture");
        var calculator = copy.PathOf("Calc/Calculator.cs");
        var committed = File.ReadAllText(calculator);
        File.WriteAllText(calculator, committed.Replace("return a + b;", "return a + b", StringComparison.Ordinal)); // broken since

        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot, KnownFailuresOnLoad = false };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        var solution = host.CurrentSolution;
        var document = solution.Projects.SelectMany(p => p.Documents).Single(d => d.FilePath == calculator);

        // The PDB's checksum is not the file's on disk, but HEAD's: that text is the state the outputs were built from.
        var (state, whyNot) = await UserBuildState.ReadAsync(solution, solution.ProjectIds.ToHashSet(), [], copy.Root, null, CancellationToken.None);
        Assert.Null(state);
        Assert.Contains("Calculator.cs changed since Calc", whyNot, StringComparison.Ordinal);
        (state, whyNot) = await UserBuildState.ReadAsync(solution, solution.ProjectIds.ToHashSet(), [], copy.Root, UserBuildState.FromHead, CancellationToken.None);
        Assert.True(state is not null, whyNot);
        Assert.Equal(committed, (await state.GetDocument(document.Id)!.GetTextAsync()).ToString());

        // Recorded after load as compiled without errors: the fix that restores it compiles nothing beyond the fixed file.
        await host.WarmedUp.WaitAsync(TimeSpan.FromMinutes(5));
        var restored = await host.VerifyAsync(
            new VerificationRequest([new FileChange(calculator, committed)], Build: false, RunTests: false) { AllErrorsInChangedFiles = true }, null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, restored.Status);
        Assert.Empty(host.LastCompiledProjects);

        // A fix that declares something new still compiles its project in full.
        var declared = await host.VerifyAsync(
            new VerificationRequest([new FileChange(calculator, committed.Replace("return a + b;", "return a + b;\n    }\n\n    public static int Two() {\n        return 2;", StringComparison.Ordinal))], Build: false, RunTests: false) { AllErrorsInChangedFiles = true },
            null, CancellationToken.None);
        Assert.Equal(VerificationStatus.Passed, declared.Status);
        Assert.Contains("Calc", host.LastCompiledProjects);
    }

    [Fact]
    public async Task Shadow_outputs_rewritten_by_an_interrupted_build_of_the_same_sources_are_recorded_again_and_any_other_are_emitted()
    {
        using var copy = WorkspaceCopy.OfFixture("Passing");
        await RunnerComparison.BuildAsync(copy.Root, "Passing.slnx");
        var settings = new VerificationSettings { ShadowRoot = copy.ShadowRoot, KnownFailuresOnLoad = false };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(copy.Root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        var calculator = copy.PathOf("Calc/Calculator.cs");
        var saved = File.ReadAllText(calculator);
        VerificationRequest Request(string text) => new([new FileChange(calculator, text)], TestFilter: "FullyQualifiedName~Add_") { ConfirmLater = true, AllErrorsInChangedFiles = true };

        // The first check runs on the user's outputs, and MSBuild's confirmation writes the shadow's own.
        var first = await host.VerifyAsync(Request(saved), null, CancellationToken.None);
        Assert.True(first.Status == VerificationStatus.Passed, FeedbackRenderer.Render(first, 4000));
        await host.FindConfirmation(first.PendingConfirmation!.Value)!.WaitAsync(TimeSpan.FromMinutes(5));
        var assemblies = Directory.GetFiles(copy.ShadowRoot, "Calc.dll", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assemblies);

        // Written again with the same bytes (a build of the same sources, interrupted after it copied them): no emit.
        foreach (var assembly in assemblies) File.SetLastWriteTimeUtc(assembly, DateTime.UtcNow.AddSeconds(5));
        var same = await host.VerifyAsync(Request(saved.Replace("return a * b;", "return b * a;", StringComparison.Ordinal)), null, CancellationToken.None);
        Assert.True(same.Status == VerificationStatus.Passed, FeedbackRenderer.Render(same, 4000));
        Assert.Equal(["Calc"], host.LastEmittedProjects); // the body it changes, and nothing for the outputs' sake
        await host.FindConfirmation(same.PendingConfirmation!.Value)!.WaitAsync(TimeSpan.FromMinutes(5));

        // One copy cut short (the build killed while it copied): the outputs are emitted again, whatever their stamps say.
        var copies = Directory.GetFiles(copy.ShadowRoot, "Calc.dll", SearchOption.AllDirectories)
            .Where(p => p.Contains("Calc.Tests", StringComparison.Ordinal) && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var cut in copies) File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..1000]);
        var again = await host.VerifyAsync(Request(saved), null, CancellationToken.None);
        Assert.True(again.Status == VerificationStatus.Passed, FeedbackRenderer.Render(again, 4000));
        Assert.Contains("Calc", host.LastEmittedProjects);
    }

    private static void Git(string root, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {errors}");
    }
}
