using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OCI.Testing;
using OCI.LanguageServer.Benchmarks;

/// <summary>
/// `--branch-switch`: the workspace follows a `git checkout` (issue #14 item 5). A copy of the corpus committed to a fresh
/// repository on <c>main</c>; branch <c>rename</c> renames the extension method <c>MemberType()</c>
/// (ReflectionExtensions.cs) to <c>GetMemberType()</c> at its definition and at every call site except those in
/// ArrayConverter.cs, which the editor has open, and adds a line to other files: 20 files in all. The real server over
/// JSON-RPC, the open file, then <c>git checkout</c> + the didChangeWatchedFiles events a client's watcher sends →
/// the time until the code action at the open file's call site is correct ("Fix with OCI: CS1955" on <c>rename</c>, as
/// the call now names MemberInfo's property <c>MemberType</c>; gone again on <c>main</c>); after each switch, once the server is quiet, its memory (<c>oci/memoryReport</c>: live
/// managed bytes after a forced full compacting collection, and the working set).
/// With <c>--dependent</c> the open file is in the project that references the changed ones: CsvHelper.Tests'
/// ArrayHelperTests.cs open, branch <c>rename</c> renames <c>ArrayHelper.Trim</c> to <c>TrimChars</c> in the library
/// (its definition and its callers there, not the tests) and adds a line to other library files (20 in all): the
/// correct answer at the test's call site is "Fix with OCI: CS1501" on <c>rename</c> (another <c>Trim</c> is in scope
/// under the tests' LangVersion preview), none on <c>main</c>, and after
/// each switch the open file's diagnostics (<c>oci/documentDiagnostics</c>) must be exactly those.
/// </summary>
internal static class BranchSwitchBenchmark
{
    /// <summary>What is open, where the call site is, the diagnostic the rename gives there, and how the branch is made.</summary>
    /// <param name="Calls">What every call of the renamed member in the open file looks like (each one an error on rename).</param>
    private sealed record Scenario(string OpenFile, string CallSite, string Within, string Calls, string FixCode, Func<string, string, List<string>> MakeRenameBranch);

    private static readonly Scenario SameProject = new(
        "src/CsvHelper/TypeConversion/ArrayConverter.cs", "memberMapData.Member!.MemberType().GetElementType()", "MemberType", ".MemberType()", "CS1955", MakeRenameBranch);

    private static readonly Scenario DependentProject = new(
        "tests/CsvHelper.Tests/ArrayHelperTests.cs", "ArrayHelper.Trim(buffer", "Trim", "ArrayHelper.Trim(", "CS1501", MakeLibraryRenameBranch);

    private const int FilesTouched = 20;

    public static async Task<int> RunAsync(string corpus, string serverDll, int switches, bool keep, bool dependent = false)
    {
        var scenario = dependent ? DependentProject : SameProject;
        var openFile = scenario.OpenFile;
        var root = Path.Combine(Path.GetTempPath(), "oci-branch-switch", Guid.NewGuid().ToString("N")[..8]);
        var workspace = Path.Combine(root, "csvhelper");
        SourceTree.Copy(corpus, workspace);
        CorpusRepository.Git(workspace, "init", "-q", "-b", "main");
        CorpusRepository.Git(workspace, "add", "-A");
        CorpusRepository.Git(workspace, "commit", "-q", "-m", "corpus");
        CorpusRepository.Git(workspace, "checkout", "-q", "-b", "rename");
        var touched = scenario.MakeRenameBranch(workspace, openFile);
        CorpusRepository.Git(workspace, "commit", "-q", "-a", "-m", "rename on the library side");
        CorpusRepository.Git(workspace, "checkout", "-q", "main");

        Console.WriteLine($"server: {serverDll}");
        Console.WriteLine($"corpus: {corpus} copied to {workspace}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"branch rename touches {touched.Count} files; open: {openFile}; {switches} switches");

        await using var server = ServerConnection.Start(serverDll, "information");
        await server.InitializeAsync(workspace, new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["applyEdit"] = true,
                ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true },
                ["didChangeWatchedFiles"] = new JsonObject { ["dynamicRegistration"] = true },
            },
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
            ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
        }, new JsonObject { ["shadowRoot"] = Path.Combine(root, "shadow") }, TimeSpan.FromMinutes(2));
        var load = Stopwatch.StartNew();
        var loaded = await server.WaitForLoadedAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine($"{loaded} in {load.Elapsed.TotalSeconds:F1} s");

        var path = Path.Combine(workspace, openFile);
        var uri = new Uri(path).AbsoluteUri;
        var text = await File.ReadAllTextAsync(path);
        await server.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });
        var position = PositionOf(text, scenario.CallSite, scenario.Within);

        // After load the server builds the code and runs its suite in the background (known failures): wait for that.
        var settle = Stopwatch.StartNew();
        while (!server.StderrSince(0).Any(l => l.Contains("Known test outcomes", StringComparison.Ordinal)) && settle.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(250);
        }
        await QuietAsync(server, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        var start = await MemoryAsync(server);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after load (known test outcomes measured, settled in {settle.Elapsed.TotalSeconds:F0} s): managed {Mb(start.Managed)} MB, working set {Mb(start.WorkingSet)} MB"));
        Console.WriteLine();
        Console.WriteLine($"{"switch",6} {"to",-7} | {"checkout ms",11} {"→ correct ms",12} | {"settled s",9} | {"managed MB",10} {"working set MB",14}");

        var toRename = new List<double>();
        var managed = new List<long> { start.Managed };
        var workingSet = new List<long> { start.WorkingSet };
        for (var i = 1; i <= switches; i++)
        {
            var branch = i % 2 == 1 ? "rename" : "main";
            var logMark = server.StderrCount;
            var watch = Stopwatch.StartNew();
            CorpusRepository.Git(workspace, "checkout", "-q", branch);
            var checkoutMs = watch.Elapsed.TotalMilliseconds;
            // What a client's file watcher sends for the files the checkout rewrote (type 2: changed).
            await server.NotifyAsync("workspace/didChangeWatchedFiles", new JsonObject
            {
                ["changes"] = new JsonArray([.. touched.Select(f => (JsonNode)new JsonObject { ["uri"] = new Uri(Path.Combine(workspace, f)).AbsoluteUri, ["type"] = 2 })]),
            });
            await WaitForCorrectActionAsync(server, uri, position, scenario.FixCode, expectFix: branch == "rename", TimeSpan.FromMinutes(5));
            var correctMs = watch.Elapsed.TotalMilliseconds;
            var diagnostics = await ErrorCodesAsync(server, uri);
            var expected = branch == "rename" ? ExpectedErrors(text, scenario) : [];
            if (!diagnostics.SequenceEqual(expected))
            {
                throw new InvalidOperationException($"after the switch to {branch} the open file reports [{string.Join(", ", diagnostics)}], the build [{string.Join(", ", expected)}]");
            }
            if (branch == "rename") toRename.Add(correctMs);
            if (branch == "rename")
            {
                // The background fix-it worker takes the new errors (Roslyn's fixes, build, tests): memory is read after it.
                while (!server.StderrSince(logMark).Any(l => l.Contains("fix-it for " + uri, StringComparison.OrdinalIgnoreCase)
                    || l.Contains("fix-its for " + uri, StringComparison.OrdinalIgnoreCase)) && watch.Elapsed < TimeSpan.FromMinutes(10))
                {
                    await Task.Delay(250);
                }
            }
            await QuietAsync(server, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
            var quiet = watch.Elapsed; // from the checkout
            var memory = await MemoryAsync(server);
            managed.Add(memory.Managed);
            workingSet.Add(memory.WorkingSet);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i,6} {branch,-7} | {checkoutMs,11:F0} {correctMs,12:F0} | {quiet.TotalSeconds,9:F0} | {Mb(memory.Managed),10} {Mb(memory.WorkingSet),14}"));
        }
        Console.WriteLine();
        var sorted = toRename.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checkout → correct code action at the broken call site (to rename): median {sorted[sorted.Count / 2]:F0} ms (min {sorted[0]:F0}, max {sorted[^1]:F0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed after a forced full GC: after load {Mb(managed[0])} MB, after switch 1 {Mb(managed[1])} MB, after switch {switches} {Mb(managed[^1])} MB (min {Mb(managed.Skip(1).Min())}, max {Mb(managed.Skip(1).Max())}); working set {Mb(workingSet[0])} → {Mb(workingSet[1])} → {Mb(workingSet[^1])} MB"));
        Console.WriteLine("(\"→ correct\": from the start of git checkout to the first code action listing that is right for the branch: the fix at the call site on");
        Console.WriteLine(" rename, none on main — there a stale answer would also be none, so only the rename figures measure anything)");

        await server.DisposeAsync();
        if (!keep)
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return 0;
    }

    /// <summary>On the current branch (rename): the definition and all call sites but the open file's renamed, then a line added to other files until 20 are touched.</summary>
    private static List<string> MakeRenameBranch(string workspace, string openFile)
    {
        var library = Path.Combine(workspace, "src", "CsvHelper");
        var touched = new List<string>();
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(workspace, file).Replace('\\', '/');
            if (relative == openFile) continue;
            var text = File.ReadAllText(file);
            var renamed = text
                .Replace("public static Type MemberType(this MemberInfo member)", "public static Type GetMemberType(this MemberInfo member)", StringComparison.Ordinal)
                .Replace(".MemberType()", ".GetMemberType()", StringComparison.Ordinal);
            if (renamed == text) continue;
            File.WriteAllText(file, renamed);
            touched.Add(relative);
        }
        return FillUpTo(workspace, library, openFile, touched);
    }

    /// <summary>
    /// On the current branch (rename): <c>ArrayHelper.Trim</c> renamed to <c>TrimChars</c> in the library only (its tests,
    /// in the referencing project, still call Trim), then a line added to other library files until 20 are touched.
    /// </summary>
    private static List<string> MakeLibraryRenameBranch(string workspace, string openFile)
    {
        var library = Path.Combine(workspace, "src", "CsvHelper");
        var touched = new List<string>();
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var renamed = text
                .Replace("public static void Trim(char[] buffer", "public static void TrimChars(char[] buffer", StringComparison.Ordinal)
                .Replace("ArrayHelper.Trim(", "ArrayHelper.TrimChars(", StringComparison.Ordinal);
            if (renamed == text) continue;
            File.WriteAllText(file, renamed);
            touched.Add(Path.GetRelativePath(workspace, file).Replace('\\', '/'));
        }
        return FillUpTo(workspace, library, openFile, touched);
    }

    private static List<string> FillUpTo(string workspace, string library, string openFile, List<string> touched)
    {
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (touched.Count >= FilesTouched) break;
            var relative = Path.GetRelativePath(workspace, file).Replace('\\', '/');
            if (relative == openFile || touched.Contains(relative)) continue;
            File.AppendAllText(file, "// A rename on this branch.\r\n");
            touched.Add(relative);
        }
        return touched;
    }

    /// <summary>The open file's errors as the server reports them now ("CS1501 44:15": code, zero-based start).</summary>
    private static async Task<List<string>> ErrorCodesAsync(ServerConnection server, string uri)
    {
        var response = await server.RequestAsync("oci/documentDiagnostics", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } }, TimeSpan.FromMinutes(2));
        if (response["result"]?["diagnostics"] is not JsonArray diagnostics) throw new InvalidOperationException("oci/documentDiagnostics failed: " + response.ToJsonString());
        return [.. diagnostics.OfType<JsonObject>().Where(d => (int?)d["severity"] == 1)
            .Select(d => $"{(string?)d["code"]} {(int)d["range"]!["start"]!["line"]!}:{(int)d["range"]!["start"]!["character"]!}")];
    }

    /// <summary>What <c>dotnet build</c> reports in the open file on <c>rename</c>: the diagnostic at every call of the renamed member.</summary>
    private static List<string> ExpectedErrors(string text, Scenario scenario)
    {
        var errors = new List<string>();
        for (var index = text.IndexOf(scenario.Calls, StringComparison.Ordinal); index >= 0; index = text.IndexOf(scenario.Calls, index + 1, StringComparison.Ordinal))
        {
            var (line, character) = PositionOf(text, index + scenario.Calls.IndexOf(scenario.Within, StringComparison.Ordinal));
            errors.Add($"{scenario.FixCode} {line}:{character}");
        }
        return errors;
    }

    private static async Task WaitForCorrectActionAsync(ServerConnection server, string uri, (int Line, int Character) position, string fixCode, bool expectFix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await server.RequestAsync("textDocument/codeAction", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri },
                ["range"] = new JsonObject
                {
                    ["start"] = new JsonObject { ["line"] = position.Line, ["character"] = position.Character },
                    ["end"] = new JsonObject { ["line"] = position.Line, ["character"] = position.Character },
                },
                ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
            }, TimeSpan.FromMinutes(2));
            var hasFix = response["result"] is JsonArray actions && actions.OfType<JsonObject>().Any(a =>
                ((string?)a["title"])?.StartsWith("Fix with OCI: " + fixCode, StringComparison.Ordinal) == true);
            if (hasFix == expectFix) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the code action at {position} stayed wrong (fix expected: {expectFix})\n{server.StderrTail(150)}");
            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the server has logged nothing and sent nothing for <paramref name="quiet"/> (background builds and test runs done).</summary>
    private static async Task<TimeSpan> QuietAsync(ServerConnection server, TimeSpan quiet, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var seen = (server.StderrCount, server.NotificationCount);
        var since = Stopwatch.StartNew();
        while (since.Elapsed < quiet && watch.Elapsed < limit)
        {
            await Task.Delay(250);
            var now = (server.StderrCount, server.NotificationCount);
            if (now != seen)
            {
                seen = now;
                since.Restart();
            }
        }
        return watch.Elapsed;
    }

    private static async Task<(long Managed, long WorkingSet)> MemoryAsync(ServerConnection server)
    {
        var response = await server.RequestAsync("oci/memoryReport", null, TimeSpan.FromMinutes(2));
        var result = response["result"] as JsonObject ?? throw new InvalidOperationException("oci/memoryReport failed: " + response.ToJsonString());
        return ((long)result["managedBytes"]!, (long)result["workingSetBytes"]!);
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    private static (int Line, int Character) PositionOf(string text, string marker, string within)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        if (index < 0) throw new InvalidOperationException($"{marker} not found");
        return PositionOf(text, index + marker.IndexOf(within, StringComparison.Ordinal));
    }

    private static (int Line, int Character) PositionOf(string text, int index)
    {
        var line = text[..index].Count(c => c == '\n');
        return (line, index - (text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1));
    }
}
