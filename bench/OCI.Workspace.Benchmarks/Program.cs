using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Workspace;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

// Benchmark of the verification loop on tests/fixtures/Passing (copied to a temp folder):
//  1. warm in-memory verification of a one-line edit  vs  `dotnet build` of the edited project;
//  2. one test round of the loop (compile + build + test in the warm shadow copy)  vs  a plain `dotnet test`.
// Every figure is the median of several runs after a warm-up, each run with a different one-line edit.
// With `sandbox [runs]`: the cost of the bubblewrap sandbox per round instead (SandboxCost.cs).
// With `mtp [runs]`: the test applications of Microsoft.Testing.Platform projects against dotnet test (MtpRoundCost.cs).
// With `mtp-round [runs]`: a failing round of the workspace host on MTP projects against edit + dotnet test (MtpHostRound.cs).

if (args is ["sandbox", ..])
{
    return await SandboxCost.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9, FindRepositoryRoot());
}
if (args is ["mtp-round", ..])
{
    return await MtpHostRound.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5, FindRepositoryRoot(), corpusOnly: args is [_, _, "corpus"]);
}
if (args is ["mtp", ..])
{
    return await MtpRoundCost.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5, FindRepositoryRoot());
}
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var repository = FindRepositoryRoot();
var container = Path.Combine(Path.GetTempPath(), "oci-bench", Guid.NewGuid().ToString("N")[..8]);
var root = Path.Combine(container, "ws");
FixtureFiles.Copy(Path.Combine(repository, "tests", "fixtures"), "Passing", root);
var calculator = Path.Combine(root, "Calc", "Calculator.cs");
var original = File.ReadAllText(calculator);
string Edit(int i) => original.Replace("return a + b;", $"return a + b + {i} * 0;", StringComparison.Ordinal);
var edits = 0;

IProgress<string>? Verbose = Environment.GetEnvironmentVariable("OCI_BENCH_VERBOSE") == "1" ? new StderrProgress() : null;
try
{
    Console.WriteLine($"fixture: tests/fixtures/Passing copied to {root}; {runs} runs per figure (median)");
    var load = Stopwatch.StartNew();
    var settings = new VerificationSettings { ShadowRoot = Path.Combine(container, "shadow") };
    await using var host = await MSBuildWorkspaceHost.OpenAsync(root, settings, NullLoggerFactory.Instance, null, CancellationToken.None);
    Console.WriteLine($"load (restore + MSBuildWorkspace): {load.Elapsed.TotalSeconds:F1} s, problems: {host.LoadReport.Problems.Count}");

    // 1. In-memory check vs dotnet build.
    for (var i = 0; i < 3; i++) await host.CompileAsync([new FileChange(calculator, Edit(++edits))], CancellationToken.None);
    var inMemory = await Median(runs, async () =>
    {
        var result = await host.CompileAsync([new FileChange(calculator, Edit(++edits))], CancellationToken.None);
        Check(result.Status == VerificationStatus.Passed, "in-memory check");
    });
    var calcProject = Path.Combine(root, "Calc", "Calc.csproj");
    await Dotnet(root, "build", calcProject); // warm-up: first build of the copy
    var build = await Median(runs, async () =>
    {
        File.WriteAllText(calculator, Edit(++edits));
        await Dotnet(root, "build", calcProject);
    });
    var buildNoRestore = await Median(runs, async () =>
    {
        File.WriteAllText(calculator, Edit(++edits));
        await Dotnet(root, "build", calcProject, "--no-restore");
    });
    File.WriteAllText(calculator, original);
    host.NotifyFileChanged(calculator);

    // 2. Loop test round vs dotnet test.
    for (var i = 0; i < 2; i++) await host.VerifyAsync(new VerificationRequest([new FileChange(calculator, Edit(++edits))]), null, CancellationToken.None);
    var phases = new List<VerificationResult>();
    var loopRound = await Median(runs, async () =>
    {
        var result = await host.VerifyAsync(new VerificationRequest([new FileChange(calculator, Edit(++edits))]), null, CancellationToken.None);
        Check(result.Status == VerificationStatus.Passed && result.PassedTests == 4, $"loop round ({result.Status})");
        phases.Add(result);
    });
    var failingRound = await Median(runs, async () =>
    {
        var wrong = original.Replace("return a + b;", $"return a - b + {++edits} * 0;", StringComparison.Ordinal);
        var result = await host.VerifyAsync(new VerificationRequest([new FileChange(calculator, wrong)]), Verbose, CancellationToken.None);
        Check(result.Status == VerificationStatus.TestsFailed, $"failing round ({result.Status})");
    });
    var testsProject = Path.Combine(root, "Calc.Tests", "Calc.Tests.csproj");
    await Dotnet(root, "test", testsProject);
    var plainTest = await Median(runs, async () =>
    {
        File.WriteAllText(calculator, Edit(++edits));
        await Dotnet(root, "test", testsProject);
    });
    var plainTestNoRestore = await Median(runs, async () =>
    {
        File.WriteAllText(calculator, Edit(++edits));
        await Dotnet(root, "test", testsProject, "--no-restore");
    });
    var testDll = Path.Combine(root, "Calc.Tests", "bin", "Debug", "net10.0", "Calc.Tests.dll");
    var dllOnly = await Median(runs, () => Dotnet(root, "test", testDll));
    File.WriteAllText(calculator, original);

    static string Ms(TimeSpan t) => $"{t.TotalMilliseconds,9:F1} ms";
    Console.WriteLine();
    Console.WriteLine("1. one-line edit, compiler feedback");
    Console.WriteLine($"   in-memory Roslyn check (warm)        {Ms(inMemory)}");
    Console.WriteLine($"   dotnet build Calc.csproj             {Ms(build)}   ratio {build / inMemory,7:F0}x (goal >= 20x)");
    Console.WriteLine($"   dotnet build --no-restore            {Ms(buildNoRestore)}   ratio {buildNoRestore / inMemory,7:F0}x");
    Console.WriteLine("2. one-line edit, build + tests");
    var med = (Func<VerificationResult, TimeSpan> f) => TimeSpan.FromTicks(phases.Select(f).Order().ElementAt(phases.Count / 2).Ticks);
    Console.WriteLine($"   loop round, tests fail (fast build)  {Ms(failingRound)}");
    Console.WriteLine($"   loop round, tests pass (+ confirm)   {Ms(loopRound)}   (median phases: compile {med(r => r.CompileTime).TotalMilliseconds:F0} ms, build {med(r => r.BuildTime).TotalMilliseconds:F0} ms, test {med(r => r.TestTime).TotalMilliseconds:F0} ms)");
    Console.WriteLine($"   dotnet test Calc.Tests.csproj        {Ms(plainTest)}   ratio {plainTest / failingRound,7:F1}x vs a failing round (goal >= 5x), {plainTest / loopRound,5:F1}x vs a passing one");
    Console.WriteLine($"   dotnet test --no-restore             {Ms(plainTestNoRestore)}   ratio {plainTestNoRestore / failingRound,7:F1}x, {plainTestNoRestore / loopRound,5:F1}x");
    Console.WriteLine($"   (dotnet test Calc.Tests.dll alone    {Ms(dllOnly)}: the test phase without the warm host)");
    return 0;
}
finally
{
    try { Directory.Delete(container, recursive: true); } catch (IOException) { }
}

static async Task<TimeSpan> Median(int runs, Func<Task> action)
{
    var times = new List<TimeSpan>();
    for (var i = 0; i < runs; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        times.Add(stopwatch.Elapsed);
    }
    times.Sort();
    return times[times.Count / 2];
}

static async Task Dotnet(string workingDirectory, params string[] arguments)
{
    var result = await ProcessRunner.RunAsync("dotnet", arguments, workingDirectory, TimeSpan.FromMinutes(5), CancellationToken.None);
    Check(result.Succeeded, $"dotnet {string.Join(' ', arguments)}: {result.StandardOutput}{result.StandardError}");
}

static void Check(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException("benchmark step failed: " + what);
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "OCI.LanguageServer.sln"))) return directory.FullName;
    }
    throw new InvalidOperationException("OCI.LanguageServer.sln not found above " + AppContext.BaseDirectory);
}


/// <summary>Progress lines to stderr (OCI_BENCH_VERBOSE=1).</summary>
internal sealed class StderrProgress : IProgress<string>
{
    public void Report(string value) => Console.Error.WriteLine($"  [{DateTime.Now:HH:mm:ss.fff}] {value}");
}
