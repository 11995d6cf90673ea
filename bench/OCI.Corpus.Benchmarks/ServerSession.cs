using System.Diagnostics;
using System.Text.Json.Nodes;
using OCI.LanguageServer.Benchmarks;

/// <summary>
/// One server process as an editor drives it for the user-path benchmark: initialize with an editor's capabilities
/// (applyEdit, fix-its), open documents and the didChange an editor sends (incremental when the server asks for it),
/// a command timed to its workspace/applyEdit and oci/verificationConfirmed, the wait for a fix-it of one version.
/// </summary>
internal sealed class ServerSession : IAsyncDisposable
{
    /// <summary>Server log lines that explain a missing fix-it.</summary>
    private static readonly string[] WhyNoFixItLines = ["No verified fix-it", "fix-it", "Fix candidate", "fix search", "fail:"];

    private readonly bool _incremental;
    private readonly HashSet<JsonObject> _seenConfirmations = new(ReferenceEqualityComparer.Instance);
    private long _applyEditAt;

    private ServerSession(ServerConnection server, bool incremental)
    {
        Server = server;
        _incremental = incremental;
        server.ServerRequestReceived = (method, _) =>
        {
            if (method == "workspace/applyEdit") Interlocked.CompareExchange(ref _applyEditAt, Stopwatch.GetTimestamp(), 0L);
        };
    }

    public ServerConnection Server { get; }

    public static async Task<ServerSession> StartAsync(string serverDll, string logLevel, string workspace, string shadowRoot, JsonObject? model)
    {
        var server = ServerConnection.Start(serverDll, logLevel);
        var result = await server.InitializeAsync(workspace, new JsonObject
        {
            ["workspace"] = new JsonObject { ["applyEdit"] = true, ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true } },
            ["window"] = new JsonObject { ["workDoneProgress"] = true },
            ["textDocument"] = new JsonObject { ["codeAction"] = new JsonObject { ["codeActionLiteralSupport"] = new JsonObject() } },
            ["experimental"] = new JsonObject { ["ociFixIts"] = true },
        }, new JsonObject { ["shadowRoot"] = shadowRoot }, TimeSpan.FromMinutes(2), model, model is null ? null : new JsonObject { ["maxRounds"] = 3 });
        var sync = result["capabilities"]?["textDocumentSync"];
        var change = sync is JsonObject options ? (int?)options["change"] : (int?)sync;
        return new ServerSession(server, incremental: change == 2);
    }

    public async Task<OpenDocument> OpenAsync(string path, string text)
    {
        var document = new OpenDocument(new Uri(path).AbsoluteUri) { Text = text, Version = 1 };
        await Server.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = document.Uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });
        return document;
    }

    /// <summary>The buffer becomes <paramref name="text"/>: one didChange as an editor sends it (the changed span only, when incremental). Returns the new version.</summary>
    public async Task<int> ChangeAsync(OpenDocument document, string text)
    {
        var old = document.Text;
        var prefix = 0;
        while (prefix < old.Length && prefix < text.Length && old[prefix] == text[prefix]) prefix++;
        var suffix = 0;
        while (suffix < old.Length - prefix && suffix < text.Length - prefix && old[^(suffix + 1)] == text[^(suffix + 1)]) suffix++;
        var change = _incremental
            ? new JsonObject
            {
                ["range"] = new JsonObject { ["start"] = Position(old, prefix), ["end"] = Position(old, old.Length - suffix) },
                ["text"] = text[prefix..(text.Length - suffix)],
            }
            : new JsonObject { ["text"] = text };
        document.Text = text;
        document.Version++;
        await Server.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = document.Uri, ["version"] = document.Version },
            ["contentChanges"] = new JsonArray(change),
        });
        return document.Version;
    }

    public Task SaveAsync(OpenDocument document) =>
        Server.NotifyAsync("textDocument/didSave", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = document.Uri } });

    /// <summary>Asks for code actions at <paramref name="marker"/> until "Fix with OCI" for <paramref name="code"/> is listed; returns it.</summary>
    public async Task<JsonObject> WaitForFixActionAsync(OpenDocument document, string text, string marker, string code, TimeSpan timeout)
    {
        var range = RangeAt(text, marker, marker);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await Server.RequestAsync("textDocument/codeAction", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = document.Uri },
                ["range"] = range.DeepClone(),
                ["context"] = new JsonObject { ["diagnostics"] = new JsonArray() },
            }, TimeSpan.FromMinutes(2));
            if (response["result"] is JsonArray actions
                && actions.OfType<JsonObject>().FirstOrDefault(a => ((string?)a["title"])?.Contains(code, StringComparison.Ordinal) == true
                    && (string?)a["command"]?["command"] == "oci.fixDiagnostic") is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no Fix with OCI action for {code} at {marker}\n{Server.StderrTail()}");
            await Task.Delay(25);
        }
    }

    /// <summary>Sends a refine command and times its workspace/applyEdit, its answer and (when the real build was pending) its oci/verificationConfirmed.</summary>
    public async Task<CommandRun> ExecuteAsync(string command, JsonNode arguments, OpenDocument document, TimeSpan timeout)
    {
        Interlocked.Exchange(ref _applyEditAt, 0L);
        var sent = Stopwatch.GetTimestamp();
        var response = await Server.RequestAsync("workspace/executeCommand", new JsonObject
        {
            ["command"] = command,
            ["arguments"] = new JsonArray(arguments),
        }, timeout);
        var answeredMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        var result = response["result"] as JsonObject ?? throw new InvalidOperationException($"{command} failed: {response.ToJsonString()}\n{Server.StderrTail()}");
        var applied = Interlocked.Read(ref _applyEditAt);
        double? applyMs = applied == 0 ? null : Stopwatch.GetElapsedTime(sent, applied).TotalMilliseconds;
        var verification = result["verification"] as JsonObject;
        var verified = verification is null
            ? "not verified"
            : $"compiled={verification["compiled"]} impacted={verification["impactedTests"]} whole={verification["wholeSuite"]} passed={verification["testsPassed"]} failed={verification["testsFailed"]} known={verification["knownFailures"]?.AsArray().Count} real={verification["realBuild"]}";
        double? confirmMs = null;
        var confirmation = $"no confirmation pending (realBuild {verification?["realBuild"]?.ToString() ?? "-"})";
        if ((string?)verification?["realBuild"] == "pending")
        {
            var confirmed = await Server.WaitForNotificationAsync("oci/verificationConfirmed",
                n => (string?)n["params"]?["uri"] == document.Uri && !_seenConfirmations.Contains(n), TimeSpan.FromMinutes(15));
            _seenConfirmations.Add(confirmed);
            confirmMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            confirmation = (bool?)confirmed["params"]?["confirmed"] == true
                ? "confirmed: " + confirmed["params"]?["summary"]
                : "NOT CONFIRMED: " + confirmed["params"]?["summary"];
        }
        return new CommandRun(sent, applyMs, confirmMs, answeredMs, (string?)result["stopReason"] ?? "", (string?)result["summary"] ?? "",
            (int?)result["roundsUsed"] ?? 0, verified, confirmation, result["timings"] as JsonObject);
    }

    /// <summary>Time from <paramref name="keystroke"/> to the first non-empty oci/fixIts for <paramref name="version"/>; null when the worker logs that none verified, or after the timeout.</summary>
    public async Task<(double? Ms, string Title)> WaitForFixItAsync(OpenDocument document, int version, int logMark, long keystroke, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var gaveUp = $"{NoFixIt}{document.Uri} v{version} ";
        while (deadline.Elapsed < timeout)
        {
            var found = Server.Notifications("oci/fixIts").FirstOrDefault(n =>
                (string?)n["params"]?["textDocument"]?["uri"] == document.Uri && (int?)n["params"]?["textDocument"]?["version"] == version
                && n["params"]?["fixIts"] is JsonArray { Count: > 0 });
            if (found is not null)
            {
                return (Stopwatch.GetElapsedTime(keystroke).TotalMilliseconds, (string?)found["params"]!["fixIts"]![0]!["title"] ?? "");
            }
            if (Server.StderrSince(logMark).Any(l => l.Contains(gaveUp, StringComparison.Ordinal)))
            {
                return (null, $"the worker gave up after {Stopwatch.GetElapsedTime(keystroke).TotalSeconds:F0} s");
            }
            await Task.Delay(20);
        }
        return (null, $"none within {timeout.TotalMinutes:F0} min");
    }

    /// <summary>What the server logged since <paramref name="logMark"/> about fix-its (why none came).</summary>
    public string WhyNoFixIt(int logMark) =>
        string.Join(" | ", Server.StderrSince(logMark).Where(l => WhyNoFixItLines.Any(w => l.Contains(w, StringComparison.Ordinal))).TakeLast(3));

    /// <summary>After load: until the server has measured the known test outcomes (its background build and test run) and then gone quiet.</summary>
    public async Task<TimeSpan> SettleAsync()
    {
        var watch = Stopwatch.StartNew();
        while (!Server.StderrSince(0).Any(l => l.Contains("Known test outcomes", StringComparison.Ordinal)) && watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(250);
        }
        await QuietAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        return watch.Elapsed;
    }

    /// <summary>Waits until the server has logged nothing and sent nothing for <paramref name="quiet"/> (at most <paramref name="limit"/>).</summary>
    public async Task QuietAsync(TimeSpan quiet, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var seen = (Server.StderrCount, Server.NotificationCount);
        var since = Stopwatch.StartNew();
        while (since.Elapsed < quiet && watch.Elapsed < limit)
        {
            await Task.Delay(250);
            var now = (Server.StderrCount, Server.NotificationCount);
            if (now != seen)
            {
                seen = now;
                since.Restart();
            }
        }
    }

    /// <summary>An empty range at <paramref name="within"/> inside the first <paramref name="marker"/> of <paramref name="text"/>.</summary>
    public static JsonObject RangeAt(string text, string marker, string within)
    {
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        if (index < 0) throw new InvalidOperationException($"{marker} not found");
        index += marker.IndexOf(within, StringComparison.Ordinal);
        return new JsonObject { ["start"] = Position(text, index), ["end"] = Position(text, index) };
    }

    private static JsonObject Position(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new JsonObject { ["line"] = line, ["character"] = offset - lineStart };
    }

    private const string NoFixIt = "No verified fix-it for ";

    /// <summary>With --server-log FILE, every session's stderr is appended there when it ends (the user paths start several servers).</summary>
    public static string? LogFile { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (LogFile is not null)
        {
            await File.AppendAllLinesAsync(LogFile, ["===== server session =====", .. Server.StderrSince(0)]);
        }
        await Server.DisposeAsync();
    }
}

/// <summary>A document the benchmark has open: its URI, the version the server last got and that text.</summary>
internal sealed class OpenDocument(string uri)
{
    public string Uri { get; } = uri;

    public int Version { get; set; }

    public string Text { get; set; } = "";
}

/// <summary>
/// One refine command: when it was sent (a Stopwatch timestamp), and milliseconds from then to its applyEdit, its
/// confirmation and its answer; <paramref name="Timings"/> is the result's own <c>timings</c> (the engine's figures:
/// each round's split, the baseline check), null when it has none.
/// </summary>
internal sealed record CommandRun(long SentAt, double? ApplyMs, double? ConfirmMs, double AnsweredMs, string StopReason, string Summary, int RoundsUsed, string Verified, string Confirmation,
    JsonObject? Timings);
