using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using OCI.LanguageServer.Benchmarks;
using OCI.Testing;
using static CorpusRepository;

// Editor speed on real code: CsvHelper (../shared/corpus/csvhelper, 18k-line library, 1,063-test xunit suite) copied to
// a temp folder and committed to a fresh git repository, then three realistic breaks in library files — a removed
// `using`, a misspelt method name, a removed cast — each fixed two ways in the same run:
//  product: the real server process over JSON-RPC, warm, no model (Roslyn's fixes are the candidates): time from
//           workspace/executeCommand oci.fixDiagnostic to the workspace/applyEdit it sends, with the phases from the
//           command result's `timings` and what was verified from its `verification` (structured data, no log lines),
//           then the time until oci/verificationConfirmed (the real build and whole suite) arrives; the main figure is
//           this fresh command, sent as soon as the action is listed (the background fix-it for the break is still
//           running then and gives way to it);
//  user:    the user's own one-line edit, then `dotnet build` and `dotnet test --no-build`;
//  after fix-it: the same break again, the command sent only once the background fix-it (oci/fixIts) has verified the
//           same fix: the command takes that complete result (real build, whole suite) instead of checking again.
// Also: how long after `initialize` the first "Fix with OCI" code action at the broken line is listed (goal ≤ 3 s).
// Every break carries a comment line of its own, so no two breaks are the same inputs: the fresh command cannot take an
// earlier result (a fix-it of an earlier run of the same break), only the "after fix-it" run takes its own fix-it's.
// Options: --runs N (measured runs per break after a warm-up, default 2), --corpus DIR, --keep (leave the copy),
// --first-only (stop after the first code action; with --log debug the server's load timings are printed),
// --restarts N (with --first-only: start the server N more times on the same folder, the project load cache warm),
// --log LEVEL (the server's log level, default information), --server-log FILE (the server's stderr, written at the end),
// --server DLL (another build of the server, e.g. a ReadyToRun publish: scripts/publish-server.sh; default: the Release build);
// --branch-switch [--switches N] [--dependent]: instead, git checkouts under the server (BranchSwitchBenchmark.cs; default
// 10 switches; --dependent: the open file is a test file of the project that references the changed library).
// --cold, --typing, --private-helper (any of them; --user-paths: all three): instead, the paths a new user takes most
//          (UserPathsBenchmark.cs), each beside edit + dotnet build + dotnet test, on the corpus and, with --repo DIR (or
//          OCI_BENCH_REPO), on a second real repository: datalust/superpower, fetched, not committed here
//          (git clone https://github.com/datalust/superpower DIR; the copy gets a Directory.Build.targets, see
//          UserPathRepository.cs); --repo-only skips the corpus; --json FILE writes the figures.

var runs = 2;
var corpus = Path.Combine(FixturePaths.Shared, "corpus", "csvhelper");
var keep = false;
var firstOnly = false;
var restarts = 0;
var logLevel = "information";
string? serverLog = null;
string? serverOption = null;
var breakCount = 0;
var branchSwitch = false;
var switches = 10;
var dependent = false;
var (cold, typing, privateHelper, repoOnly) = (false, false, false, false);
var repo = Environment.GetEnvironmentVariable("OCI_BENCH_REPO") is { Length: > 0 } fromEnvironment ? Path.GetFullPath(fromEnvironment) : null;
string? json = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--corpus": corpus = Path.GetFullPath(args[++i]); break;
        case "--keep": keep = true; break;
        case "--first-only": firstOnly = true; break;
        case "--restarts": restarts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--log": logLevel = args[++i]; break;
        case "--server-log": serverLog = Path.GetFullPath(args[++i]); break;
        case "--server": serverOption = Path.GetFullPath(args[++i]); break;
        case "--branch-switch": branchSwitch = true; break;
        case "--switches": switches = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--dependent": dependent = true; break;
        case "--cold": cold = true; break;
        case "--typing": typing = true; break;
        case "--private-helper": privateHelper = true; break;
        case "--user-paths": (cold, typing, privateHelper) = (true, true, true); break;
        case "--repo": repo = Path.GetFullPath(args[++i]); break;
        case "--repo-only": repoOnly = true; break;
        case "--json": json = Path.GetFullPath(args[++i]); break;
        default: throw new ArgumentException($"unknown option {args[i]} (--runs N, --corpus DIR, --server DLL, --keep, --first-only, --restarts N, --log LEVEL, --server-log FILE, --branch-switch [--switches N] [--dependent], --cold, --typing, --private-helper, --user-paths, --repo DIR, --repo-only, --json FILE)");
    }
}
if (cold || typing || privateHelper)
{
    var userPathsServer = serverOption ?? FindServerDll();
    if (serverLog is not null)
    {
        File.Delete(serverLog);
        ServerSession.LogFile = serverLog;
    }
    Console.WriteLine($"server: {userPathsServer}");
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; load average {UserPathReport.LoadAverage()}");
    var repositories = new List<string>();
    if (!repoOnly) repositories.Add(corpus);
    if (repo is not null) repositories.Add(repo);
    if (repositories.Count == 0) throw new ArgumentException("--repo-only needs --repo DIR (or OCI_BENCH_REPO)");
    var figures = new List<UserPathFigure>();
    foreach (var repository in repositories)
    {
        await UserPathsBenchmark.RunAsync(repository, userPathsServer, logLevel, cold, typing, privateHelper, keep, figures,
            () => json is null ? Task.CompletedTask : UserPathReport.WriteJsonAsync(json, userPathsServer, figures, "dotnet run -c Release --project bench/OCI.Corpus.Benchmarks -- " + string.Join(" ", args)));
    }
    return 0;
}
if (branchSwitch)
{
    return await BranchSwitchBenchmark.RunAsync(corpus, serverOption ?? FindServerDll(), switches, keep, dependent);
}

Break[] breaks =
[
    new("removed using", "src/CsvHelper/Factory.cs", "using System.Globalization;\r\n", "", "CultureInfo cultureInfo", "CS0246"),
    new("misspelt method", "src/CsvHelper/CsvParser.cs", "if (!FillBuffer())", "if (!FilBuffer())", "FilBuffer()", "CS0103"),
    new("removed cast", "src/CsvHelper/TypeConversion/ArrayConverter.cs",
        "array = (Array)ObjectResolver.Current.Resolve(memberMapData.Member!.MemberType(), list.Count);",
        "array = ObjectResolver.Current.Resolve(memberMapData.Member!.MemberType(), list.Count);", "ObjectResolver.Current.Resolve(memberMapData.Member!.MemberType(), list.Count)", "CS0266"),
];

var serverDll = serverOption ?? FindServerDll();
var root = Path.Combine(Path.GetTempPath(), "oci-corpus-bench", Guid.NewGuid().ToString("N")[..8]);
var workspace = Path.Combine(root, "csvhelper");
SourceTree.Copy(corpus, workspace);
Run("git", workspace, "init", "-q");
Run("git", workspace, "add", "-A");
Run("git", workspace, "-c", "user.name=bench", "-c", "user.email=bench@invalid", "commit", "-q", "-m", "corpus");
var cleanTexts = new Dictionary<string, string>();
foreach (var b in breaks)
{
    var text = File.ReadAllText(Path.Combine(workspace, b.File));
    if (!text.Contains(b.Original, StringComparison.Ordinal)) throw new InvalidOperationException($"{b.File} no longer holds {b.Original}");
    cleanTexts[b.File] = text;
}
var seenConfirmations = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);

Console.WriteLine($"server: {serverDll}");
Console.WriteLine($"corpus: {corpus} copied to {workspace}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
var firstBuild = Stopwatch.StartNew();
// --first-only needs only the restore (the editor's load reads obj/); the whole benchmark needs the user's build.
var built = Dotnet(workspace, firstOnly ? "restore" : "build", "CsvHelper.slnx", "-nologo", "-v:q");
Console.WriteLine($"user's first {(firstOnly ? "restore" : "build")}: {firstBuild.Elapsed.TotalSeconds:F1} s (exit {built})");

// The first break is in the file when the editor opens the folder: the code does not compile at load.
var first = breaks[0];
File.WriteAllText(Path.Combine(workspace, first.File), File.ReadAllText(Path.Combine(workspace, first.File)).Replace(first.Original, first.Broken, StringComparison.Ordinal));

var documents = new Dictionary<string, (string Uri, int Version)>();
var (server, sinceInitialize, initializeSentAt) = await StartServerAsync();
await using var serverLifetime = server;
var applyEditAt = 0L;
server.ServerRequestReceived = (method, _) =>
{
    if (method == "workspace/applyEdit") Volatile.Write(ref applyEditAt, Stopwatch.GetTimestamp());
};

// First code action at the broken line.
var firstAction = await WaitForFixActionAsync(first, TimeSpan.FromMinutes(5));
var firstSeconds = sinceInitialize.Elapsed.TotalSeconds;
Console.WriteLine($"first \"Fix with OCI: {first.Code}\" code action at the broken line: {firstSeconds:F2} s after initialize (goal ≤ 3 s; cold: no project load cache)");
if (firstOnly)
{
    // The server's own account of the load (timestamps on its log lines; its load timings are logged at Debug).
    PrintServerLog(server, initializeSentAt);
    await server.DisposeAsync();
    // Restarts: the same folder, the project load cache written by the previous server.
    for (var restart = 1; restart <= restarts; restart++)
    {
        (server, sinceInitialize, initializeSentAt) = await StartServerAsync();
        await WaitForFixActionAsync(first, TimeSpan.FromMinutes(5));
        Console.WriteLine($"restart {restart}: first code action {sinceInitialize.Elapsed.TotalSeconds:F2} s after initialize (project load cache)");
        PrintServerLog(server, initializeSentAt);
        await server.DisposeAsync();
    }
    if (!keep) DeleteQuietly(root);
    return 0;
}

// Warm-up: the first fix (the workspace loads, the shadow copy is built, the known failures are measured).
Console.WriteLine();
Console.WriteLine("warm-up (not counted):");
var warm = await FixThroughServerAsync(first, firstAction);
Console.WriteLine($"  {first.Name}: applyEdit after {warm.ApplyMs} ms; {warm.Summary}");
await RestoreAsync(first);

Console.WriteLine();
Console.WriteLine($"{"break",-16} {"run",3} | {"applyEdit ms",12} {"engine",7} {"compile",7} {"build",7} {"tests",7} {"other",7} | {"verified",-40} | {"confirm ms",10} | {"user ms",8} {"ratio",6} | {"fix-it ms",9} {"then ms",7} {"ratio",6} {"verified",-24}");
var ratios = new List<double>();
var afterFixItRatios = new List<double>();
var productTimes = new List<long>();
var userTimes = new List<long>();
for (var run = 1; run <= runs; run++)
{
    foreach (var b in breaks)
    {
        await BreakAsync(b);
        var action = await WaitForFixActionAsync(b, TimeSpan.FromMinutes(2));
        var product = await FixThroughServerAsync(b, action);
        await RestoreAsync(b);

        // The user: the same break on disk, then their own one-line fix, dotnet build and dotnet test --no-build.
        var path = Path.Combine(workspace, b.File);
        var clean = cleanTexts[b.File];
        await File.WriteAllTextAsync(path, clean.Replace(b.Original, b.Broken, StringComparison.Ordinal));
        Dotnet(workspace, "build", "CsvHelper.slnx", "-nologo", "-v:q"); // the break as the user saw it (not timed)
        var user = Stopwatch.StartNew();
        await File.WriteAllTextAsync(path, clean);
        var buildExit = Dotnet(workspace, "build", "CsvHelper.slnx", "-nologo", "-v:q");
        Dotnet(workspace, "test", "CsvHelper.slnx", "--no-build", "-nologo", "-v:q");
        var userMs = user.ElapsedMilliseconds;
        if (buildExit != 0) Console.WriteLine($"  (the user's build failed: exit {buildExit})");

        var ratio = (double)userMs / Math.Max(1, product.ApplyMs);
        ratios.Add(ratio);
        productTimes.Add(product.ApplyMs);
        userTimes.Add(userMs);

        // The same break again, the command sent once the background fix-it has verified the fix.
        await BreakAsync(b);
        var brokenAt = Stopwatch.GetTimestamp();
        var version = documents[b.File].Version;
        var fixIt = await server.WaitForNotificationAsync("oci/fixIts",
            n => (string?)n["params"]?["textDocument"]?["uri"] == documents[b.File].Uri && (int?)n["params"]?["textDocument"]?["version"] == version
                && n["params"]?["fixIts"] is JsonArray { Count: > 0 }, TimeSpan.FromMinutes(10));
        var fixItMs = (long)Stopwatch.GetElapsedTime(brokenAt).TotalMilliseconds;
        var afterFixIt = await FixThroughServerAsync(b, await WaitForFixActionAsync(b, TimeSpan.FromMinutes(2)));
        await RestoreAsync(b);
        var afterRatio = (double)userMs / Math.Max(1, afterFixIt.ApplyMs);
        afterFixItRatios.Add(afterRatio);

        var t = product.Timings;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{b.Name,-16} {run,3} | {product.ApplyMs,12} {t?["engineMs"],7} {t?["compileMs"],7} {t?["buildMs"],7} {t?["testMs"],7} {t?["otherMs"],7} | {product.Verified,-40} | {product.ConfirmMs,10} | {userMs,8} {ratio,5:F1}× | {fixItMs,9} {afterFixIt.ApplyMs,7} {afterRatio,5:F1}× {afterFixIt.Verified,-24}"));
        _ = fixIt;
    }
}
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median: applyEdit {Median(productTimes)} ms, user's edit + dotnet build + dotnet test {Median(userTimes)} ms: {Median(ratios):F1}× faster (goal ≥ 4×); range {ratios.Min():F1}–{ratios.Max():F1}×"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"after the fix-it appeared: {Median(afterFixItRatios):F1}× (range {afterFixItRatios.Min():F1}–{afterFixItRatios.Max():F1}×)"));
Console.WriteLine("(applyEdit: executeCommand sent → workspace/applyEdit received; engine/compile/build/tests/other: the command result's timings;");
Console.WriteLine(" verified: the result's verification; confirm: executeCommand sent → oci/verificationConfirmed received, the real build and whole suite;");
Console.WriteLine(" fix-it: the break → its oci/fixIts; then: the command sent after it → applyEdit)");

if (serverLog is not null) await File.WriteAllLinesAsync(serverLog, server.StderrSince(0));
await server.DisposeAsync();
if (!keep) DeleteQuietly(root);
return 0;

async Task<(ServerConnection Server, Stopwatch SinceInitialize, DateTime InitializeSentAt)> StartServerAsync()
{
    var started = ServerConnection.Start(serverDll, logLevel);
    var sentAt = DateTime.Now;
    var since = Stopwatch.StartNew();
    await started.InitializeAsync(workspace, new JsonObject
    {
        ["workspace"] = new JsonObject { ["applyEdit"] = true, ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true } },
        ["window"] = new JsonObject { ["workDoneProgress"] = true },
        ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
        ["experimental"] = new JsonObject { ["ociFixIts"] = true },
    }, new JsonObject { ["shadowRoot"] = Path.Combine(root, "shadow") }, TimeSpan.FromMinutes(2));
    documents.Clear();
    foreach (var file in breaks.Select(b => b.File).Distinct())
    {
        var path = Path.Combine(workspace, file);
        var uri = new Uri(path).AbsoluteUri;
        documents[file] = (uri, 1);
        await started.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = await File.ReadAllTextAsync(path) },
        });
    }
    return (started, since, sentAt);
}

static void PrintServerLog(ServerConnection server, DateTime initializeSentAt)
{
    Console.WriteLine($"  initialize sent at {initializeSentAt:HH:mm:ss.fff}; the server's log so far:");
    foreach (var line in server.StderrSince(0)) Console.WriteLine("    " + line);
}

static void DeleteQuietly(string directory)
{
    try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

async Task BreakAsync(Break b)
{
    var path = Path.Combine(workspace, b.File);
    var broken = (await File.ReadAllTextAsync(path)).Replace(b.Original, b.Broken, StringComparison.Ordinal) + $"// break {++breakCount}\r\n";
    await File.WriteAllTextAsync(path, broken);
    await ChangeAsync(b.File, broken);
}

async Task RestoreAsync(Break b)
{
    // The editor applied the fix to its buffer; the user saves it. Make sure the buffer and disk hold the clean text.
    var clean = cleanTexts[b.File];
    await File.WriteAllTextAsync(Path.Combine(workspace, b.File), clean);
    await ChangeAsync(b.File, clean);
}

async Task ChangeAsync(string file, string text)
{
    var (uri, version) = documents[file];
    documents[file] = (uri, version + 1);
    await server.NotifyAsync("textDocument/didChange", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version + 1 },
        ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
    });
    await server.NotifyAsync("textDocument/didSave", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } });
}

async Task<JsonObject> WaitForFixActionAsync(Break b, TimeSpan timeout)
{
    var (uri, _) = documents[b.File];
    var text = await File.ReadAllTextAsync(Path.Combine(workspace, b.File));
    var (line, character) = PositionOf(text, b.Marker);
    var deadline = DateTime.UtcNow + timeout;
    while (true)
    {
        var response = await server.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
            ["range"] = Range(line, character, line, character),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        }, TimeSpan.FromMinutes(2));
        if (response["result"] is JsonArray actions
            && actions.OfType<JsonObject>().FirstOrDefault(a => ((string?)a["title"])?.Contains(b.Code, StringComparison.Ordinal) == true
                && (string?)a["command"]?["command"] == "oci.fixDiagnostic") is { } found)
        {
            return found;
        }
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"no Fix with OCI action for {b.Code} at {b.File}:{line + 1}\n{server.StderrTail()}");
        await Task.Delay(25);
    }
}

async Task<ProductRun> FixThroughServerAsync(Break b, JsonObject action)
{
    var arguments = action["command"]!["arguments"]!.AsArray()[0]!.DeepClone();
    Volatile.Write(ref applyEditAt, 0L);
    var start = Stopwatch.GetTimestamp();
    var response = await server.RequestAsync("workspace/executeCommand", new JsonObject
    {
        ["command"] = "oci.fixDiagnostic",
        ["arguments"] = new JsonArray(arguments),
    }, TimeSpan.FromMinutes(10));
    var result = response["result"] as JsonObject ?? throw new InvalidOperationException("the command failed: " + response.ToJsonString() + "\n" + server.StderrTail());
    var applied = Volatile.Read(ref applyEditAt);
    var applyMs = applied == 0 ? -1 : (long)Stopwatch.GetElapsedTime(start, applied).TotalMilliseconds;
    var verification = result["verification"] as JsonObject;
    var verified = verification is null
        ? $"not verified ({result["stopReason"]})"
        : $"compiled={verification["compiled"]} impacted={verification["impactedTests"]} whole={verification["wholeSuite"]} known={verification["knownFailures"]?.AsArray().Count} real={verification["realBuild"]}";
    var confirmMs = -1L;
    if ((string?)verification?["realBuild"] == "pending")
    {
        var confirmed = await server.WaitForNotificationAsync("oci/verificationConfirmed",
            n => (string?)n["params"]?["uri"] == documents[b.File].Uri && !seenConfirmations.Contains(n), TimeSpan.FromMinutes(10));
        seenConfirmations.Add(confirmed);
        confirmMs = (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if ((bool?)confirmed["params"]?["confirmed"] != true) verified += " CONFIRMATION FAILED: " + confirmed["params"]?["summary"];
    }
    return new ProductRun(applyMs, result["timings"] as JsonObject, verified, confirmMs, (string?)result["summary"] ?? "");
}

static (int Line, int Character) PositionOf(string text, string marker)
{
    var index = text.IndexOf(marker, StringComparison.Ordinal);
    if (index < 0) throw new InvalidOperationException($"{marker} not found");
    var line = text[..index].Count(c => c == '\n');
    var character = index - (text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1);
    return (line, character);
}

static JsonObject Range(int startLine, int startCharacter, int endLine, int endCharacter) => new()
{
    ["start"] = new JsonObject { ["line"] = startLine, ["character"] = startCharacter },
    ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
};

static double Median<T>(IReadOnlyList<T> values) where T : IConvertible
{
    var sorted = values.Select(v => v.ToDouble(CultureInfo.InvariantCulture)).Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
}

static int Dotnet(string directory, params string[] arguments) => Run("dotnet", directory, arguments);

static string FindServerDll()
{
    var configuration = typeof(Break).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
    var path = Path.Combine(FixturePaths.RepositoryRoot, "src", "OCI.LanguageServer", "bin", configuration, "net10.0", "OCI.LanguageServer.dll");
    return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/OCI.LanguageServer ({configuration}) first", path);
}

/// <summary>One realistic break: <paramref name="Original"/> becomes <paramref name="Broken"/>; the diagnostic is at <paramref name="Marker"/>.</summary>
internal sealed record Break(string Name, string File, string Original, string Broken, string Marker, string Code);

/// <summary>The product's side of one break.</summary>
internal sealed record ProductRun(long ApplyMs, JsonObject? Timings, string Verified, long ConfirmMs, string Summary);
