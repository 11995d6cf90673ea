using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using OCI.LanguageServer.Benchmarks;
using OCI.Testing;

// Figures of the real server process (src/OCI.LanguageServer, run as `dotnet OCI.LanguageServer.dll`) on a copy of
// tests/fixtures/StubbedMethod plus a generated 1000-line file:
//  1. textDocument/codeAction latency over every line of every file (cursor, and a selection on every 4th line),
//     measured at the client (request written → response read), after a warm-up. Goal: p95 < 30 ms.
//  2. The time split of refine rounds: "Generate implementation" of Rectangle.Area with a scripted model on a loopback
//     OpenAI-compatible server (round 1: a typo, CS0103; round 2: the right code, built and tested). The split comes from
//     the command result's timings (timings.rounds: model, compile, build, tests; timings.baselineMs), not from the log.
//     --endpoint points it at a real model server instead.
// Options: --requests N (codeAction requests, default 2000), --runs N (refine commands, default 3),
//          --classes N (classes in the generated file, default 50), --endpoint URL and --model NAME (a real model).
// --fixits instead measures background fix-its (FixItBenchmark.cs): keystroke → verified fix-it, codeAction meanwhile;
//          --corpus DIR (default ../shared/corpus/csvhelper, copied), --corpus-tests (run its tests too).

var options = Options.Parse(args);
var serverDll = FindServerDll();
if (options.FixIts)
{
    return await FixItBenchmark.RunAsync(options, serverDll);
}
using var workspace = BenchWorkspace.Create(options.Classes);

const string WrongReply = "```csharp\npublic int Area()\n{\n    return Width * Heigth;\n}\n```";
const string RightReply = "```csharp\npublic int Area()\n{\n    return Width * Height;\n}\n```";
var scripted = new ScriptedChatClient(new ScriptedReply(RightReply, When: "CS0103")) { Fallback = WrongReply };
await using var modelServer = await ScriptedOpenAIServer.StartAsync(scripted);
var endpoint = options.Endpoint ?? modelServer.Endpoint;

Console.WriteLine($"server: {serverDll}");
Console.WriteLine($"workspace: tests/fixtures/StubbedMethod + Geometry/Catalog.cs ({options.Classes} generated classes) at {workspace.Root}");
Console.WriteLine($"model: {(options.Endpoint is null ? "scripted OpenAI-compatible server on loopback" : $"{options.ModelName ?? "(default)"} at {endpoint}")}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

await using var server = ServerConnection.Start(serverDll, "information");
var load = Stopwatch.StartNew();
var initialize = await server.RequestAsync("initialize", new JsonObject
{
    ["processId"] = Environment.ProcessId,
    ["rootUri"] = new Uri(workspace.Root).AbsoluteUri,
    ["capabilities"] = new JsonObject
    {
        ["workspace"] = new JsonObject { ["applyEdit"] = true, ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true } },
        ["window"] = new JsonObject { ["workDoneProgress"] = true },
        ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
    },
    ["initializationOptions"] = new JsonObject
    {
        ["model"] = new JsonObject { ["backend"] = "openAI", ["endpoint"] = endpoint, ["modelName"] = options.ModelName ?? "scripted", ["maxRetries"] = 0 },
        ["refine"] = new JsonObject { ["maxRounds"] = 3 },
        ["verification"] = new JsonObject { ["shadowRoot"] = workspace.ShadowRoot },
    },
}, TimeSpan.FromSeconds(60));
if (initialize["result"] is null)
{
    throw new InvalidOperationException("initialize failed: " + initialize.ToJsonString());
}
await server.NotifyAsync("initialized", new JsonObject());
var loaded = await server.WaitForLoadedAsync(TimeSpan.FromMinutes(5));
Console.WriteLine($"{loaded} in {load.Elapsed.TotalSeconds:F1} s (restore + MSBuildWorkspace)");

// Open every file, as an editor restoring its tabs would.
var documents = new List<(string Uri, string[] Lines)>();
foreach (var path in workspace.SourceFiles())
{
    var text = await File.ReadAllTextAsync(path);
    var uri = new Uri(path).AbsoluteUri;
    await server.NotifyAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
    });
    documents.Add((uri, text.Split('\n')));
}

// 1. codeAction latency.
var requests = new List<(string Uri, JsonObject Range, bool Selection)>();
foreach (var (uri, lines) in documents)
{
    for (var line = 0; line < lines.Length; line++)
    {
        var content = lines[line].TrimEnd('\r');
        var first = content.Length - content.TrimStart().Length;
        requests.Add((uri, Range(line, first, line, first), false));
        if (line % 4 == 0 && content.Trim().Length > 0)
        {
            requests.Add((uri, Range(line, first, line, content.Length), true));
        }
    }
}
var cold = Stopwatch.StartNew();
await CodeActionAsync(requests[0]);
var coldMs = cold.Elapsed.TotalMilliseconds;
await Task.Delay(1000); // the debounced semantic diagnostics of the open files settle, as they do while a user reads
for (var i = 0; i < Math.Min(200, requests.Count); i++)
{
    await CodeActionAsync(requests[i % requests.Count]);
}
var cursorTimes = new List<double>();
var selectionTimes = new List<double>();
var actionsListed = 0;
for (var i = 0; i < options.Requests; i++)
{
    var request = requests[i % requests.Count];
    var watch = Stopwatch.StartNew();
    actionsListed += await CodeActionAsync(request);
    (request.Selection ? selectionTimes : cursorTimes).Add(watch.Elapsed.TotalMilliseconds);
}
var all = cursorTimes.Concat(selectionTimes).ToList();
Console.WriteLine();
Console.WriteLine($"textDocument/codeAction over {requests.Count} positions in {documents.Count} files ({documents.Sum(d => d.Lines.Length)} lines), {options.Requests} requests, sequential; first request (cold) {coldMs:F1} ms");
Console.WriteLine($"{"",-12} {"n",6} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"mean ms",8}");
PrintLatency("cursor", cursorTimes);
PrintLatency("selection", selectionTimes);
PrintLatency("all", all);
Console.WriteLine($"actions listed: {actionsListed} ({(double)actionsListed / Math.Max(1, options.Requests):F1} per request); goal p95 < 30 ms: {(Percentile(all, 0.95) < 30 ? "met" : "NOT met")}");

// 2. Refine round time split.
var rectangle = documents.First(d => d.Uri.EndsWith("/Rectangle.cs", StringComparison.Ordinal));
var stubLine = Array.FindIndex(rectangle.Lines, l => l.Contains("throw new NotImplementedException()", StringComparison.Ordinal));
Console.WriteLine();
Console.WriteLine($"refine: oci.generate on Rectangle.Area, {options.Runs} runs (run 1 includes the first real build of the shadow copy)");
Console.WriteLine($"{"run",3} {"round",5} {"status",-14} {"model ms",9} {"compile ms",10} {"build ms",9} {"tests ms",9} {"other ms",9} {"verify ms",9} | {"command ms",10} {"stop",-9}");
var warmRounds = new List<RoundTiming>();
var warmBaselines = new List<long>();
var warmCommands = new List<long>();
for (var run = 1; run <= options.Runs; run++)
{
    var watch = Stopwatch.StartNew();
    var response = await server.RequestAsync("workspace/executeCommand", new JsonObject
    {
        ["command"] = "oci.generate",
        ["arguments"] = new JsonArray(new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = rectangle.Uri, ["version"] = 1 },
            ["range"] = Range(stubLine, 8, stubLine, 8),
        }),
    }, TimeSpan.FromMinutes(5));
    var commandMs = watch.ElapsedMilliseconds;
    var result = response["result"] ?? throw new InvalidOperationException("the command failed: " + response.ToJsonString() + "\n" + server.StderrTail());
    var timings = result["timings"] as JsonObject;
    var rounds = RoundTiming.From(timings);
    var baselineMs = (long?)timings?["baselineMs"] ?? -1;
    if (baselineMs >= 0)
    {
        Console.WriteLine($"{run,3} {"0",5} {"(baseline)",-14} {"",9} {"",10} {"",9} {"",9} {"",9} {baselineMs,9} |");
        if (run > 1)
        {
            warmBaselines.Add(baselineMs);
        }
    }
    foreach (var round in rounds)
    {
        Console.WriteLine($"{run,3} {round.Round,5} {round.Status,-14} {round.ModelMs,9} {round.CompileMs,10} {round.BuildMs,9} {round.TestMs,9} {round.OtherMs,9} {round.VerifyMs,9} |");
        if (run > 1)
        {
            warmRounds.Add(round);
        }
    }
    if (run > 1)
    {
        warmCommands.Add(commandMs);
    }
    Console.WriteLine($"{run,3} {"",5} {"(command)",-14} {"",9} {"",10} {"",9} {"",9} {"",9} {"",9} | {commandMs,10} {(string?)result["stopReason"],-9} {result["summary"]}");
}
if (warmRounds.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("median of the warm runs (2..N), by round:");
    Console.WriteLine($"command: {warmCommands.Order().ElementAt(warmCommands.Count / 2)} ms; baseline (your code as it is, concurrent with round 1's model request): {(warmBaselines.Count == 0 ? "n/a" : warmBaselines.Order().ElementAt(warmBaselines.Count / 2) + " ms")}");
    foreach (var group in warmRounds.GroupBy(r => r.Round).OrderBy(g => g.Key))
    {
        var r = group.ToList();
        Console.WriteLine($"round {group.Key} ({r[0].Status}): model {Median(r, x => x.ModelMs)} ms, compile {Median(r, x => x.CompileMs)} ms, build {Median(r, x => x.BuildMs)} ms, tests {Median(r, x => x.TestMs)} ms, other {Median(r, x => x.OtherMs)} ms, verify {Median(r, x => x.VerifyMs)} ms");
    }
}
Console.WriteLine();
Console.WriteLine("(build = in-memory emit and/or dotnet build in the shadow copy; tests = dotnet test runs, the fast round's and the confirming run's; other = shadow sync and the rest of verification)");
return 0;

async Task<int> CodeActionAsync((string Uri, JsonObject Range, bool Selection) request)
{
    var response = await server.RequestAsync("textDocument/codeAction", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = request.Uri },
        ["range"] = request.Range.DeepClone(),
        ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
    }, TimeSpan.FromSeconds(30));
    return (response["result"] as JsonArray ?? throw new InvalidOperationException("codeAction failed: " + response.ToJsonString())).Count;
}

static JsonObject Range(int startLine, int startCharacter, int endLine, int endCharacter) => new()
{
    ["start"] = new JsonObject { ["line"] = startLine, ["character"] = startCharacter },
    ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
};

static double Percentile(IReadOnlyList<double> values, double quantile)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static void PrintLatency(string label, IReadOnlyList<double> values) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-12} {values.Count,6} {Percentile(values, 0.50),8:F2} {Percentile(values, 0.95),8:F2} {Percentile(values, 0.99),8:F2} {(values.Count == 0 ? double.NaN : values.Max()),8:F2} {(values.Count == 0 ? double.NaN : values.Average()),8:F2}"));

static long Median(IReadOnlyList<RoundTiming> rounds, Func<RoundTiming, long> select)
{
    var sorted = rounds.Select(select).Order().ToList();
    return sorted[sorted.Count / 2];
}

static string FindServerDll()
{
    var configuration = typeof(Options).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
    var path = Path.Combine(FixturePaths.RepositoryRoot, "src", "OCI.LanguageServer", "bin", configuration, "net10.0", "OCI.LanguageServer.dll");
    return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/OCI.LanguageServer ({configuration}) first", path);
}
