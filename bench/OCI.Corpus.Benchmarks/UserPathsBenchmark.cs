using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OCI.LanguageServer.Benchmarks;
using OCI.Testing;

/// <summary>
/// `--cold`, `--typing`, `--private-helper`: the paths a new user takes most, through the real server process over
/// JSON-RPC, each beside the user's own edit + dotnet build + dotnet test in the same run (ByHandFix), on a copy of a
/// real repository (UserPathRepository: the csvhelper corpus, and with --repo datalust/superpower):
///  cold:    a fresh server opens the folder with the file already broken on disk; oci.fixDiagnostic is sent as soon as
///           the workspace is loaded and the action is listed; initialize → workspace/applyEdit and → oci/verificationConfirmed.
///  typing:  in the loaded, settled workspace, a typo typed into the open library file (the didChange an editor sends),
///           keystroke → oci/fixIts carrying a fix for that version; three typos, each undone in between.
///  private helper: a logic bug typed and saved in a private member that tests reach only through public API, then Run &amp;
///           refine with a scripted OpenAI-compatible model that answers wrong, then right: command → applyEdit, the
///           baseline's verdict, and each round's non-model time (the command result's timings.rounds and
///           timings.baselineMs; the verdict's words are the server's log line, shown as they are).
/// The server figures are whatever the server does: nothing here assumes a verdict or a speed.
/// </summary>
internal sealed class UserPathsBenchmark
{
    private readonly UserPathRepository _repository;
    private readonly string _serverDll;
    private readonly string _logLevel;
    private readonly string _root;
    private readonly string _workspace;
    private readonly List<UserPathFigure> _figures;
    private int _shadows;

    private UserPathsBenchmark(UserPathRepository repository, string serverDll, string logLevel, string root, List<UserPathFigure> figures)
    {
        _repository = repository;
        _figures = figures;
        _serverDll = serverDll;
        _logLevel = logLevel;
        _root = root;
        _workspace = Path.Combine(root, repository.Name);
    }

    /// <summary>Runs the chosen cases on a copy of <paramref name="source"/>; adds their figures to <paramref name="figures"/> and calls <paramref name="saveFigures"/> after each case (a later failure keeps them).</summary>
    public static async Task RunAsync(string source, string serverDll, string logLevel, bool cold, bool typing, bool privateHelper, bool keep,
        List<UserPathFigure> figures, Func<Task> saveFigures)
    {
        var repository = UserPathRepository.For(source);
        var root = Path.Combine(Path.GetTempPath(), "oci-user-paths", Guid.NewGuid().ToString("N")[..8]);
        var benchmark = new UserPathsBenchmark(repository, serverDll, logLevel, root, figures);
        try
        {
            await benchmark.PrepareAsync(source);
            if (cold)
            {
                await benchmark.ColdAsync();
                await saveFigures();
            }
            if (typing)
            {
                await benchmark.TypingAsync();
                await saveFigures();
            }
            if (privateHelper)
            {
                await benchmark.PrivateHelperAsync();
                await saveFigures();
            }
        }
        finally
        {
            if (!keep)
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>The copy, committed (the server measures known test outcomes at HEAD when the code is broken at load), and the user's first build.</summary>
    private async Task PrepareAsync(string source)
    {
        SourceTree.Copy(source, _workspace);
        foreach (var (file, text) in _repository.PreparationFiles)
        {
            await File.WriteAllTextAsync(Path.Combine(_workspace, file), text);
        }
        CorpusRepository.Git(_workspace, "init", "-q", "-b", "main");
        CorpusRepository.Git(_workspace, "add", "-A");
        CorpusRepository.Git(_workspace, "commit", "-q", "-m", _repository.Name);
        Console.WriteLine();
        Console.WriteLine($"##### {_repository.Name}: {source} copied to {_workspace}");
        var build = Stopwatch.StartNew();
        var exit = CorpusRepository.Run("dotnet", _workspace, "build", _repository.Solution, "-nologo", "-v:q");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"user's first build: {build.Elapsed.TotalSeconds:F1} s (exit {exit}); load average {UserPathReport.LoadAverage()}"));
        if (exit != 0) throw new InvalidOperationException($"dotnet build {_repository.Solution} failed in {_workspace}: the repository does not build here");
    }

    private async Task ColdAsync()
    {
        var b = _repository.Cold;
        var clean = await ReadAsync(b.File);
        var broken = Apply(clean, b.Original, b.Broken);
        await File.WriteAllTextAsync(Path.Combine(_workspace, b.File), broken);

        var initializeAt = Stopwatch.GetTimestamp();
        await using var session = await ServerSession.StartAsync(_serverDll, _logLevel, _workspace, NextShadow(), model: null);
        var document = await session.OpenAsync(Path.Combine(_workspace, b.File), broken);
        await session.Server.WaitForLoadedAsync(TimeSpan.FromMinutes(10));
        var loadedMs = Stopwatch.GetElapsedTime(initializeAt).TotalMilliseconds;
        var action = await session.WaitForFixActionAsync(document, broken, b.Marker, b.Code, TimeSpan.FromMinutes(5));
        var actionMs = Stopwatch.GetElapsedTime(initializeAt).TotalMilliseconds;
        var run = await session.ExecuteAsync("oci.fixDiagnostic", action["command"]!["arguments"]!.AsArray()[0]!.DeepClone(), document, TimeSpan.FromMinutes(10));
        await session.DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(_workspace, b.File), clean); // the user saves the fixed file

        var byHand = await ByHandFix.RunAsync(_workspace, _repository.Solution, b.File, broken, clean);
        var caseName = "cold";
        Add(caseName, "initialize → workspace loaded", loadedMs, null);
        Add(caseName, $"initialize → \"Fix with OCI: {b.Code}\" listed", actionMs, null);
        Add(caseName, "initialize → applyEdit", run.ApplyMs is { } a ? Stopwatch.GetElapsedTime(initializeAt, run.SentAt).TotalMilliseconds + a : null, byHand.Ms, run.Verified);
        Add(caseName, "initialize → verificationConfirmed", run.ConfirmMs is { } c ? Stopwatch.GetElapsedTime(initializeAt, run.SentAt).TotalMilliseconds + c : null, byHand.Ms, run.Confirmation);
        Add(caseName, "command → applyEdit", run.ApplyMs, byHand.Ms, $"{run.StopReason}: {Short(run.Summary)}");
        UserPathReport.PrintTable($"{_repository.Name}: cold open with {b.Name} in {b.File}, then the fix (by hand: build {byHand.BuildExit}, test {byHand.TestExit})", Figures(caseName));
    }

    private async Task TypingAsync()
    {
        var file = _repository.Typos[0].File;
        var clean = await ReadAsync(file);
        await using var session = await ServerSession.StartAsync(_serverDll, _logLevel, _workspace, NextShadow(), model: null);
        var document = await session.OpenAsync(Path.Combine(_workspace, file), clean);
        await session.Server.WaitForLoadedAsync(TimeSpan.FromMinutes(10));
        var settled = await session.SettleAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"typing: workspace loaded and settled (known test outcomes measured, quiet) after {settled.TotalSeconds:F0} s"));

        var caseName = "typing";
        var times = new List<double>();
        foreach (var typo in _repository.Typos)
        {
            var typed = Apply(clean, typo.Original, typo.Broken);
            var logMark = session.Server.StderrCount;
            var keystroke = Stopwatch.GetTimestamp();
            var version = await session.ChangeAsync(document, typed);
            var (fixItMs, title) = await session.WaitForFixItAsync(document, version, logMark, keystroke, TimeSpan.FromMinutes(5));
            if (fixItMs is { } ms) times.Add(ms);
            Add(caseName, $"keystroke → verified fix-it: {typo.Name}", fixItMs, null, fixItMs is null ? $"no fix-it ({title}): " + Short(session.WhyNoFixIt(logMark)) : title);
            // Undo, as the user would, and let the server settle on the good text before the next typo.
            await session.ChangeAsync(document, clean);
            await session.QuietAsync(TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(3));
        }
        await session.DisposeAsync();

        var first = _repository.Typos[0];
        var byHand = await ByHandFix.RunAsync(_workspace, _repository.Solution, first.File, Apply(clean, first.Original, first.Broken), clean);
        var sorted = times.Order().ToList();
        Add(caseName, "keystroke → verified fix-it: median", sorted.Count == 0 ? null : sorted[sorted.Count / 2], byHand.Ms,
            sorted.Count == 0 ? "no fix-it for any typo" : string.Create(CultureInfo.InvariantCulture, $"min {sorted[0] / 1000:F1} s, max {sorted[^1] / 1000:F1} s, {sorted.Count} of {_repository.Typos.Count} typos fixed"));
        UserPathReport.PrintTable($"{_repository.Name}: typing in {file} (by hand: the first typo fixed by hand, build {byHand.BuildExit}, test {byHand.TestExit})", Figures(caseName));
    }

    private async Task PrivateHelperAsync()
    {
        var bug = _repository.Helper;
        var clean = await ReadAsync(bug.File);
        var buggy = Apply(clean, bug.Original, bug.Buggy);
        var scripted = new ScriptedChatClient(bug.WrongReply, bug.RightReply);
        await using var model = await ScriptedOpenAIServer.StartAsync(scripted);
        await using var session = await ServerSession.StartAsync(_serverDll, _logLevel, _workspace, NextShadow(),
            model: new JsonObject { ["backend"] = "openAI", ["endpoint"] = model.Endpoint, ["modelName"] = "scripted", ["maxRetries"] = 0 });
        var path = Path.Combine(_workspace, bug.File);
        var document = await session.OpenAsync(path, clean);
        await session.Server.WaitForLoadedAsync(TimeSpan.FromMinutes(10));
        var settled = await session.SettleAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"private helper: workspace loaded and settled after {settled.TotalSeconds:F0} s"));

        // The user types the bug and saves; then asks for Run & refine on the helper.
        await File.WriteAllTextAsync(path, buggy);
        var version = await session.ChangeAsync(document, buggy);
        await session.SaveAsync(document);
        var logMark = session.Server.StderrCount;
        var run = await session.ExecuteAsync("oci.runAndRefine", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = document.Uri, ["version"] = version },
            ["range"] = ServerSession.RangeAt(buggy, bug.MemberMarker, bug.MemberName),
        }, document, TimeSpan.FromMinutes(15));
        await Task.Delay(500); // the baseline line is logged before the answer: let stderr catch up
        var baseline = session.Server.StderrSince(logMark).FirstOrDefault(l => l.Contains("Baseline for ", StringComparison.Ordinal));
        var rounds = RoundTiming.From(run.Timings);
        var falseVerdict = run.Summary.Contains("already", StringComparison.OrdinalIgnoreCase) && run.Summary.Contains("pass", StringComparison.OrdinalIgnoreCase);
        var verdict = baseline is null ? "(no baseline line in the log)" : baseline[(baseline.IndexOf("Baseline for ", StringComparison.Ordinal))..];
        await session.DisposeAsync();
        await File.WriteAllTextAsync(path, clean);

        var byHand = await ByHandFix.RunAsync(_workspace, _repository.Solution, bug.File, buggy, clean);
        var caseName = "privateHelper";
        Add(caseName, "command → applyEdit", run.ApplyMs, byHand.Ms, $"{run.StopReason}, {run.RoundsUsed} rounds, {scripted.Requests.Count} model requests; {run.Verified}");
        Add(caseName, "command → verificationConfirmed", run.ConfirmMs, byHand.Ms, run.Confirmation);
        Add(caseName, "command answered", run.AnsweredMs, byHand.Ms, (falseVerdict ? "FALSE VERDICT: " : "") + Short(run.Summary));
        Add(caseName, "baseline (the code as it is, checked)", (long?)run.Timings?["baselineMs"], null, Short(verdict));
        foreach (var round in rounds)
        {
            Add(caseName, $"round {round.Round}: non-model (verify)", round.VerifyMs, null,
                $"{round.Status}; model {round.ModelMs} ms; compile {round.CompileMs}, build {round.BuildMs}, tests {round.TestMs}, other {round.OtherMs} ms");
        }
        UserPathReport.PrintTable($"{_repository.Name}: run & refine {bug.MemberName} in {bug.File} (bug: {bug.Buggy}; by hand: build {byHand.BuildExit}, test {byHand.TestExit})", Figures(caseName));
        Console.WriteLine($"baseline verdict: {verdict}");
        Console.WriteLine($"command summary: {run.Summary}{(falseVerdict ? "   <-- FALSE: the helper has a logic bug its tests catch" : "")}");
    }

    private void Add(string caseName, string figure, double? serverMs, double? byHandMs, string note = "") =>
        _figures.Add(new UserPathFigure(_repository.Name, caseName, figure, serverMs, byHandMs, note));

    private List<UserPathFigure> Figures(string caseName) => _figures.Where(f => f.Repository == _repository.Name && f.Case == caseName).ToList();

    private string NextShadow() => Path.Combine(_root, $"shadow-{++_shadows}");

    private Task<string> ReadAsync(string file) => File.ReadAllTextAsync(Path.Combine(_workspace, file));

    /// <summary><paramref name="text"/> with the first occurrence of <paramref name="original"/> replaced.</summary>
    private static string Apply(string text, string original, string changed)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        if (index < 0) throw new InvalidOperationException($"the repository no longer holds {original}");
        return string.Concat(text.AsSpan(0, index), changed, text.AsSpan(index + original.Length));
    }

    private static string Short(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 160 ? line[..160] + "…" : line;
    }
}
