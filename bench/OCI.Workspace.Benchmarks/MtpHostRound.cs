using Microsoft.CodeAnalysis.CSharp;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

/// <summary>
/// `dotnet run -c Release --project bench/OCI.Workspace.Benchmarks -- mtp-round [runs]`: a failing round of the loop
/// on Microsoft.Testing.Platform test projects, as the product runs it (the workspace host's <c>VerifyAsync</c> of a
/// wrong candidate: in-memory compile, the reaching tests on the test applications, in the sandbox), beside what a user
/// does by hand for the same edit (write it, <c>dotnet test</c>: build and run), alternating, on
/// (1) tests/fixtures/MtpFailing (xunit.v3, NUnit, MSTest and TUnit applications under an MTP global.json; the edit
/// breaks the library all four test) and (2) ../shared/corpus/nsubstitute (NUnit on MTP, 900 tests; the edit breaks
/// the received-calls message); and per MtpFailing test project, a candidate that breaks one of its own tests (only
/// that test application runs) beside <c>dotnet test --project</c>. Each run's edit differs, so nothing is reused.
/// Medians. <c>OCI_BENCH_SANDBOX=Off</c> shows what the sandbox costs; <c>mtp-round [runs] corpus</c> measures the corpus only.
/// </summary>
internal static class MtpHostRound
{
    public static async Task<int> RunAsync(int runs, string repository, bool corpusOnly = false)
    {
        var container = Path.Combine(Path.GetTempPath(), "oci-bench-mtp-round", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"MTP failing round through the workspace host vs dotnet test after the same edit; {runs} runs per figure (median)");
            var fixture = Path.Combine(container, "fixture");
            if (!corpusOnly)
            {
            FixtureFiles.Copy(Path.Combine(repository, "tests", "fixtures"), "MtpFailing", fixture);
            // Add_ReturnsSum fails before any edit (a known failure); this edit fails Add_Zero too, a new failure.
            await MeasureAsync("MtpFailing (4 frameworks)", fixture, Path.Combine("Calc", "Calculator.cs"), ("Calculator", "Add"),
                (text, i) => text.Replace("return a - b;", $"return a - b + 1 + {i} * 0;", StringComparison.Ordinal),
                [(null, ["test", "--solution", "MtpFailing.slnx"])], runs, container);

            // A round on one project: a candidate that breaks a test of that project only (its own test application runs).
            foreach (var project in new[] { "Xunit3.Tests", "NUnit.Tests", "MSTest.Tests", "TUnit.Tests" })
            {
                await MeasureAsync($"MtpFailing, {project}: a candidate breaks one of its tests", fixture, Path.Combine(project, "CalculatorTests.cs"), ("CalculatorTests", "Add_Zero"),
                    (text, i) => text.Replace("Add(0, 0)", $"Add(0, {i})", StringComparison.Ordinal),
                    [(project, ["test", "--project", $"{project}/{project}.csproj"])], runs, container);
            }

            }

            var corpus = Path.GetFullPath(Path.Combine(repository, "..", "shared", "corpus", "nsubstitute"));
            if (Directory.Exists(corpus))
            {
                var copy = Path.Combine(container, "nsubstitute");
                OCI.Testing.SourceTree.Copy(corpus, copy);
                await MeasureAsync("nsubstitute (NUnit, 900 tests)", copy, Path.Combine("src", "NSubstitute", "Extensions", "ReceivedExtensions.cs"), ("ExactQuantity", "Describe"),
                    (text, i) => text.Replace("\"exactly {0} {1}\"", $"\"precisely{i} {{0}} {{1}}\"", StringComparison.Ordinal),
                    [(null, ["test"]), ("NSubstitute.Acceptance.Specs", ["test", "--project", "tests/NSubstitute.Acceptance.Specs/NSubstitute.Acceptance.Specs.csproj"])], runs, container);
                // A member tests reach statically (every Received(n)): the round runs the reaching tests only.
                await MeasureAsync("nsubstitute (NUnit, 900 tests), a reached member", copy, Path.Combine("src", "NSubstitute", "Extensions", "ReceivedExtensions.cs"), ("Quantity", "Exactly"),
                    (text, i) => text.Replace("new ExactQuantity(number)", $"new ExactQuantity(number + 1 + {i} * 0)", StringComparison.Ordinal),
                    [("NSubstitute.Acceptance.Specs", ["test", "--project", "tests/NSubstitute.Acceptance.Specs/NSubstitute.Acceptance.Specs.csproj"])], runs, container);
            }
            else
            {
                Console.WriteLine($"(no {corpus}: the real repository is skipped)");
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(container, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task MeasureAsync(
        string title, string root, string relativeFile, (string Type, string Method) changed, Func<string, int, string> wrong, (string? Project, string[] Arguments)[] cases, int runs, string container)
    {
        var file = Path.Combine(root, relativeFile);
        var original = await File.ReadAllTextAsync(file);
        var first = await ProcessRunner.RunAsync("dotnet", ["build", "-nologo"], root, TimeSpan.FromMinutes(30), CancellationToken.None);
        if (first.ExitCode != 0) throw new InvalidOperationException($"{title}: the first build failed\n{first.StandardOutput}{first.StandardError}");
        var settings = new VerificationSettings
        {
            ShadowRoot = Path.Combine(container, "shadow-" + Guid.NewGuid().ToString("N")[..8]),
            // OCI_BENCH_SANDBOX=Off shows what the sandbox costs; the product's default is Auto.
            Sandbox = Enum.TryParse<SandboxMode>(Environment.GetEnvironmentVariable("OCI_BENCH_SANDBOX"), out var mode) ? mode : SandboxMode.Auto,
        };
        await using var host = await MSBuildWorkspaceHost.OpenAsync(root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
        // The tests the product's request names: those that reach the changed member (as the engine's context finds them).
        var solution = host.CurrentSolution;
        await OCI.Workspace.Testing.ReachingTests.PrepareAsync(solution, CancellationToken.None); // the caller index, as the settled server has it
        // Every target framework's copy of the file (a multi-targeted library has one per framework; tests load one).
        var names = new List<string>();
        var bounded = false;
        foreach (var document in solution.Projects.SelectMany(p => p.Documents).Where(d => d.FilePath == file))
        {
            var model = await document.GetSemanticModelAsync();
            var syntax = (await document.GetSyntaxRootAsync())!.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                .First(m => m.Identifier.Text == changed.Method && m.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax t && t.Identifier.Text == changed.Type);
            var found = await OCI.Workspace.Testing.ReachingTests.NamesAsync(model!.GetDeclaredSymbol(syntax)!, solution, 200, CancellationToken.None);
            names.AddRange(found.Names.Where(n => !names.Contains(n)));
            bounded |= found.Bounded;
        }
        var reaching = new OCI.Workspace.Testing.ReachingTestNames(names, bounded);
        var filter = string.Join('|', reaching.Names.Select(n => "FullyQualifiedName~" + n));
        Console.WriteLine($"{title}: sandbox {settings.Sandbox}; {reaching.Names.Count} test(s) reach {changed.Type}.{changed.Method}{(reaching.Bounded ? " (bounded)" : "")}");
        var edit = 0;
        async Task<(TimeSpan Elapsed, VerificationResult Result)> Round(string? project)
        {
            // A project's round: the reaching tests it declares (the round then starts that test application only).
            var names = reaching.Names.Where(n => project is null || n.StartsWith(project + ".", StringComparison.Ordinal)).ToList();
            var testFilter = names.Count == 0 ? null : string.Join('|', names.Select(n => "FullyQualifiedName~" + n));
            var watch = Stopwatch.StartNew();
            // The request the server's engine sends for an editor command (WorkspaceCandidateVerifier): every error in the
            // changed file counts, and a candidate whose reaching tests pass is offered before the real build. A change no
            // test reaches is offered on its compile there and judged by the whole suite in the confirmation: that suite
            // is what the unfiltered round measures, so it asks for it here (no ConfirmLater).
            var request = new VerificationRequest([new FileChange(file, wrong(original, ++edit))], TestFilter: testFilter)
            {
                AllErrorsInChangedFiles = true, ConfirmLater = testFilter is not null,
            };
            var result = await host.VerifyAsync(request, null, CancellationToken.None);
            watch.Stop();
            if (result.Status != VerificationStatus.TestsFailed) throw new InvalidOperationException($"{title}: the wrong candidate gave {result.Status}: {string.Join("; ", result.Diagnostics.Take(3).Select(d => d.Message))}");
            return (watch.Elapsed, result);
        }
        async Task<TimeSpan> ByHand(string[] arguments)
        {
            await File.WriteAllTextAsync(file, wrong(original, ++edit));
            var watch = Stopwatch.StartNew();
            var result = await ProcessRunner.RunAsync("dotnet", arguments, root, TimeSpan.FromMinutes(10), CancellationToken.None);
            watch.Stop();
            await File.WriteAllTextAsync(file, original);
            if (result.ExitCode is not (1 or 2)) throw new InvalidOperationException($"{title}: dotnet {string.Join(' ', arguments)} exited {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
            return watch.Elapsed;
        }

        // Warm-up: the host's first rounds (shadow copy, test host) and a first by-hand run of each kind.
        await Round(null);
        await Round(null);
        foreach (var (_, arguments) in cases) await ByHand(arguments);

        Console.WriteLine();
        Console.WriteLine(title);
        foreach (var (project, arguments) in cases)
        {
            var rounds = new List<(TimeSpan Elapsed, VerificationResult Result)>();
            var hand = new List<TimeSpan>();
            for (var i = 0; i < runs; i++)
            {
                rounds.Add(await Round(project));
                hand.Add(await ByHand(arguments));
            }
            var typical = rounds.OrderBy(r => r.Elapsed).ElementAt(runs / 2);
            var handMedian = hand.Order().ElementAt(runs / 2);
            var run = typical.Result.TestRuns.FirstOrDefault();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {project ?? "all test projects",-30} round {typical.Elapsed.TotalSeconds,5:F2} s (compile {typical.Result.CompileTime.TotalMilliseconds:F0}, emit {typical.Result.BuildTime.TotalMilliseconds:F0}, tests {typical.Result.TestTime.TotalMilliseconds:F0} ms; {run?.Runner}, {run?.Passed} passed / {run?.Failed} failed)"
                + $" | edit + dotnet {string.Join(' ', arguments)} {handMedian.TotalSeconds,5:F2} s | {handMedian / typical.Elapsed:F1}x"));
        }
    }
}
