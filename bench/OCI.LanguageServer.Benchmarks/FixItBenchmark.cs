using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OCI.Testing;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>
/// `--fixits`: time from the last keystroke (the didChange that breaks the file) to a verified fix-it (<c>oci/fixIts</c>
/// for that version) at the client, and codeAction latency while that background verification runs. Scenarios:
/// two missing usings (<c>List&lt;&gt;</c> and <c>Math</c>, ImplicitUsings off) in a copy of tests/fixtures/Passing, and a
/// removed <c>using System.Globalization;</c> in a copy of ../shared/corpus/csvhelper. Each run first restores the good
/// text and waits for the server to settle, so every run measures one keystroke into a warm server.
/// </summary>
internal static class FixItBenchmark
{
    private const string GoodStats = """
        using System;
        using System.Collections.Generic;

        namespace Calc;

        public static class Stats
        {
            public static int Largest(List<int> values)
            {
                var largest = int.MinValue;
                foreach (var value in values)
                {
                    largest = Math.Max(largest, value);
                }
                return largest;
            }
        }

        """;

    /// <summary>Server log lines that explain a missing fix-it.</summary>
    private static readonly string[] WhyNoFixIt = ["fix-it", "Fix candidate", "fix search", "Baseline for", "Known test outcomes", "FixDiagnostic", "fail:"];

    public static async Task<int> RunAsync(Options options, string serverDll)
    {
        Console.WriteLine($"server: {serverDll}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"runs per scenario: {options.Runs} (run 1 includes the first build of the shadow copy); codeAction sampled every 20 ms while waiting");
        var container = Path.Combine(Path.GetTempPath(), "oci-bench-fixits", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var usings = Path.Combine(container, "usings");
            Directory.CreateDirectory(usings);
            foreach (var file in Directory.EnumerateFiles(FixturePaths.Fixtures, "Directory.*")) File.Copy(file, Path.Combine(usings, Path.GetFileName(file)));
            SourceTree.Copy(Path.Combine(FixturePaths.Fixtures, "Passing"), usings);
            var calcProject = Path.Combine(usings, "Calc", "Calc.csproj");
            File.WriteAllText(calcProject, "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <ImplicitUsings>disable</ImplicitUsings>\n  </PropertyGroup>\n</Project>\n");
            var stats = Path.Combine(usings, "Calc", "Stats.cs");
            File.WriteAllText(stats, GoodStats);
            var broken = GoodStats.Replace("using System;\nusing System.Collections.Generic;\n", "", StringComparison.Ordinal);
            await RunScenarioAsync("two missing usings (List<> and Math, ImplicitUsings off), tests/fixtures/Passing", serverDll, usings, Path.Combine(container, "shadow-usings"),
                stats, GoodStats, broken, options, runTests: true);

            if (Directory.Exists(options.Corpus))
            {
                var csv = Path.Combine(container, "csvhelper");
                SourceTree.Copy(options.Corpus, csv);
                var target = Path.Combine(csv, "src", "CsvHelper", "CsvParser.cs");
                var good = await File.ReadAllTextAsync(target);
                var line = good.Contains("using System.Globalization;\r\n", StringComparison.Ordinal) ? "using System.Globalization;\r\n" : "using System.Globalization;\n";
                var removed = good.Replace(line, "", StringComparison.Ordinal);
                await RunScenarioAsync($"removed `using System.Globalization;` in src/CsvHelper/CsvParser.cs, a copy of {options.Corpus} (tests {(options.CorpusTests ? "on" : "off: oci.verification.runTests false")})",
                    serverDll, csv, Path.Combine(container, "shadow-csv"), target, good, removed, options, options.CorpusTests);
            }
            else
            {
                Console.WriteLine($"(no corpus at {options.Corpus}: csvhelper scenario skipped)");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(container, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return 0;
    }

    private static async Task RunScenarioAsync(string name, string serverDll, string root, string shadowRoot, string path, string good, string broken, Options options, bool runTests)
    {
        Console.WriteLine();
        Console.WriteLine($"== {name}");
        await using var server = ServerConnection.Start(serverDll, "information");
        await server.InitializeAsync(root, new JsonObject
        {
            ["workspace"] = new JsonObject { ["applyEdit"] = true, ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true } },
            ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
            ["experimental"] = new JsonObject { ["ociFixIts"] = true },
        }, new JsonObject { ["shadowRoot"] = shadowRoot, ["runTests"] = runTests }, TimeSpan.FromSeconds(60));
        var load = Stopwatch.StartNew();
        var loaded = await server.WaitForLoadedAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine($"{loaded} in {load.Elapsed.TotalSeconds:F1} s");

        var uri = new Uri(path).AbsoluteUri;
        var version = 1;
        await server.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = version, ["text"] = good },
        });
        var lines = broken.Split('\n').Length;
        var latencies = new List<double>();
        var idleLatencies = new List<double>();
        var times = new List<double>();
        Console.WriteLine($"{"run",3} {"keystroke → fix-it ms",22} {"codeActions",11} {"p95 ms",8} {"idle p95",8}  title");
        for (var run = 1; run <= options.Runs; run++)
        {
            await ChangeAsync(server, uri, ++version, good);
            await Task.Delay(TimeSpan.FromSeconds(2)); // the good text settles (its diagnostics, nothing to fix)
            // The same requests with no verification running: the machine's own latency at this moment, to compare.
            var idle = new List<double>();
            var idleWatch = Stopwatch.StartNew();
            for (var idleLine = 0; idleWatch.Elapsed < TimeSpan.FromSeconds(3); idleLine = (idleLine + 7) % lines)
            {
                idle.Add(await CodeActionMsAsync(server, uri, idleLine));
                await Task.Delay(20);
            }
            var mark = version + 1;
            var keystrokeLog = server.StderrCount;
            await ChangeAsync(server, uri, ++version, broken);
            var waiting = WaitForFixItAsync(server, uri, mark, TimeSpan.FromMinutes(5));
            var during = new List<double>();
            var line = 0;
            while (!waiting.IsCompleted)
            {
                during.Add(await CodeActionMsAsync(server, uri, line));
                line = (line + 7) % lines;
                await Task.WhenAny(waiting, Task.Delay(20));
            }
            var (elapsedMs, title) = await waiting;
            var total = elapsedMs ?? double.NaN;
            if (elapsedMs is null)
            {
                // Why not: the worker's verdict and what the fix search and the checks said since the keystroke.
                Console.WriteLine("    no fix-it:");
                foreach (var logLine in server.StderrSince(keystrokeLog).Where(l => WhyNoFixIt.Any(w => l.Contains(w, StringComparison.Ordinal))))
                {
                    Console.WriteLine("      " + (logLine.Length > 400 ? logLine[..400] + "…" : logLine));
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run,3} {total,22:F0} {during.Count,11} {Percentile(during, 0.95),8:F2} {Percentile(idle, 0.95),8:F2}  {title}"));
            if (run > 1 && elapsedMs is not null) times.Add(total);
            if (run > 1) latencies.AddRange(during);
            if (run > 1) idleLatencies.AddRange(idle);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm runs (2..{options.Runs}): keystroke → verified fix-it {(times.Count == 0 ? "none" : $"median {Percentile(times, 0.5):F0} ms (min {times.Min():F0}, max {times.Max():F0})")}; codeAction during verification: n {latencies.Count}, p50 {Percentile(latencies, 0.5):F2} ms, p95 {Percentile(latencies, 0.95):F2} ms, max {(latencies.Count == 0 ? double.NaN : latencies.Max()):F2} ms; idle (same runs, no verification): n {idleLatencies.Count}, p50 {Percentile(idleLatencies, 0.5):F2} ms, p95 {Percentile(idleLatencies, 0.95):F2} ms; load average {LoadAverage()}"));
        await server.RequestAsync("shutdown", null, TimeSpan.FromSeconds(30));
        await server.NotifyAsync("exit", null);
    }

    /// <summary>Time from now (the keystroke was just sent) to the first non-empty oci/fixIts for <paramref name="version"/>; null after the timeout.</summary>
    private static async Task<(double? Ms, string Title)> WaitForFixItAsync(ServerConnection server, string uri, int version, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var logMark = server.StderrCount;
        using var stop = new CancellationTokenSource();
        var found = server.WaitForNotificationAsync("oci/fixIts", n =>
            (string?)n["params"]?["textDocument"]?["uri"] == uri && (int?)n["params"]?["textDocument"]?["version"] == version
            && n["params"]?["fixIts"]?.AsArray().Count > 0, timeout);
        // The worker logs when nothing verified: no need to wait for the timeout then.
        var gaveUp = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !server.StderrSince(logMark).Any(l => l.Contains($"No verified fix-it for {uri} v{version} ", StringComparison.Ordinal)))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        });
        var first = await Task.WhenAny(found, gaveUp);
        await stop.CancelAsync();
        if (first == found && found.IsCompletedSuccessfully)
        {
            return (watch.Elapsed.TotalMilliseconds, (string?)found.Result["params"]!["fixIts"]![0]!["title"] ?? "");
        }
        _ = found.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        return (null, "(none)");
    }

    private static async Task<double> CodeActionMsAsync(ServerConnection server, string uri, int line)
    {
        var request = Stopwatch.StartNew();
        var response = await server.RequestAsync("textDocument/codeAction", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri },
            ["range"] = Range(line, 0, line, 0),
            ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
        }, TimeSpan.FromSeconds(30));
        if (response["result"] is null) throw new InvalidOperationException("codeAction failed: " + response.ToJsonString());
        return request.Elapsed.TotalMilliseconds;
    }

    /// <summary>The 1-minute load average (Linux), to read the figures against: other work on the machine counts.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static Task ChangeAsync(ServerConnection server, string uri, int version, string text) =>
        server.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });

    private static JsonObject Range(int startLine, int startCharacter, int endLine, int endCharacter) => new()
    {
        ["start"] = new JsonObject { ["line"] = startLine, ["character"] = startCharacter },
        ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
    };

    private static double Percentile(IReadOnlyList<double> values, double quantile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

}
