using System.CommandLine;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.Engine.Editing;
using OCI.Engine.Refine;
using OCI.Engine.Text;
using OCI.Models;

namespace OCI.LanguageServer.Cli;

/// <summary>
/// <c>oci refine &lt;workspace&gt; --file F [--member M] [--line L] [--kind …] [--instruction "…"] [--model PATH|URL]
/// [--rounds N] [--apply]</c>: one refine task on the same engine the editor uses. Progress goes to stderr, the final
/// unified diff to stdout, against the files as they were when the run started; the exit code is 0 only when the result
/// compiles and its tests pass. The user's files are written only with --apply, only for a verified result (an unverified
/// candidate is printed, and --apply says why it leaves it), and only when none of them changed on disk during the run
/// (exit 3 otherwise).
/// </summary>
public static class RefineCommand
{
    public const int ExitVerified = 0;
    public const int ExitNotVerified = 1;
    public const int ExitUsage = 2;
    public const int ExitChangedOnDisk = 3;

    /// <summary>Shown by --help and in the README.</summary>
    public const string ExitCodesHelp =
        "Exit codes: 0 verified (compiles, tests pass); 1 not verified; 2 usage error; 3 --apply refused: a file to change was changed on disk during the run (nothing written).";

    /// <summary>The <c>--kind</c> values, as the protocol spells the kinds.</summary>
    private static readonly IReadOnlyDictionary<string, RefineKind> KindNames = new Dictionary<string, RefineKind>(StringComparer.Ordinal)
    {
        ["generate"] = RefineKind.Generate,
        ["runAndRefine"] = RefineKind.RunAndRefine,
        ["fixDiagnostic"] = RefineKind.FixDiagnostic,
        ["refineSelection"] = RefineKind.RefineSelection,
    };

    /// <param name="loggerFactory">Logs to stderr; null creates one from --log-level when the command runs.</param>
    /// <param name="createEngine">The engine to run on (default <see cref="RefineEngine.Create"/>).</param>
    public static Command Create(ILoggerFactory? loggerFactory = null, Func<ILoggerFactory, IRefineEngine>? createEngine = null)
    {
        createEngine ??= RefineEngine.Create;

        var workspace = new Argument<string>("workspace") { Description = "Folder (or .sln/.csproj) of the workspace to load." };
        var file = new Option<string>("--file", "-f") { Description = "The C# file to work on (relative to the workspace or absolute).", Required = true };
        var member = new Option<string?>("--member", "-m") { Description = "The member or type to work on (\"Add\" or \"Calculator.Add\")." };
        var line = new Option<int?>("--line", "-l") { Description = "1-based line to work at (the diagnostic's line for fixDiagnostic)." };
        var kind = new Option<string?>("--kind", "-k") { Description = $"{string.Join(" | ", KindNames.Keys)} (default: from the other options)." };
        kind.AcceptOnlyFromAmong([.. KindNames.Keys]);
        var instruction = new Option<string?>("--instruction", "-i") { Description = "What to change (refineSelection)." };
        var model = new Option<string?>("--model") { Description = ModelArgument.Description };
        var rounds = new Option<int?>("--rounds") { Description = "Model rounds at most (default 3)." };
        var apply = new Option<bool>("--apply") { Description = "Write the verified result to the files (default: only print the diff); an unverified candidate is only printed; refused (exit 3) when one of the files changed on disk during the run." };

        var command = new Command("refine", "Generate, fix or refine code with the compile → build → test → feedback loop, and print the diff. " + ExitCodesHelp)
        {
            workspace, file, member, line, kind, instruction, model, rounds, apply,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new RefineCliOptions(
                parse.GetValue(workspace)!, parse.GetValue(file)!, parse.GetValue(member), parse.GetValue(line), parse.GetValue(kind) is { } name ? KindNames[name] : null,
                parse.GetValue(instruction), parse.GetValue(model), parse.GetValue(rounds), parse.GetValue(apply));
            using var ownLoggerFactory = loggerFactory is null ? LoggingSetup.Create(CommonOptions.ResolveLogLevel(parse)) : null;
            await using var engine = createEngine(loggerFactory ?? ownLoggerFactory!);
            return await RunAsync(engine, options, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The command's work, separate from parsing so it can be driven with any engine and writers.</summary>
    public static async Task<int> RunAsync(IRefineEngine engine, RefineCliOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(options.Workspace);
        var folder = File.Exists(root) ? Path.GetDirectoryName(root)! : root;
        if (!Directory.Exists(folder))
        {
            await stderr.WriteLineAsync($"error: workspace {options.Workspace} does not exist").ConfigureAwait(false);
            return ExitUsage;
        }
        var path = Path.GetFullPath(Path.IsPathRooted(options.File) ? options.File : Path.Combine(folder, options.File));
        if (!File.Exists(path))
        {
            await stderr.WriteLineAsync($"error: file {options.File} does not exist in {folder}").ConfigureAwait(false);
            return ExitUsage;
        }
        if (options.Kind == RefineKind.RefineSelection && string.IsNullOrWhiteSpace(options.Instruction))
        {
            await stderr.WriteLineAsync("error: refineSelection needs --instruction").ConfigureAwait(false);
            return ExitUsage;
        }

        // Where to work depends only on the file's text: a usage error is reported before the (seconds-long) workspace load.
        var original = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var range = FindRange(original, options, out var problemText);
        if (range is null)
        {
            await stderr.WriteLineAsync("error: " + problemText).ConfigureAwait(false);
            return ExitUsage;
        }

        // The files as they are now, before the load the engine works from: the diff is against these, and --apply only
        // writes over files that still are these.
        var snapshot = await WorkspaceFilesAtStart.TakeAsync(folder, cancellationToken).ConfigureAwait(false);

        engine.UpdateSettings(Settings(options));
        var report = await engine.OpenWorkspaceAsync(root, new SynchronousProgress<string>(stderr.WriteLine), cancellationToken).ConfigureAwait(false);
        foreach (var problem in report.Problems)
        {
            // The load's lines carry their own severity ("error: …", "warning: …").
            var hasSeverity = problem.StartsWith("error:", StringComparison.Ordinal) || problem.StartsWith("warning:", StringComparison.Ordinal);
            await stderr.WriteLineAsync(hasSeverity ? problem : "warning: " + problem).ConfigureAwait(false);
        }
        await stderr.WriteLineAsync($"loaded {report.LoadedProjects.Count} project(s); model: {engine.ModelStatus}").ConfigureAwait(false);

        var kind = await ChooseKindAsync(engine, path, range.Value, options, cancellationToken).ConfigureAwait(false);
        await stderr.WriteLineAsync($"{kind} at {Path.GetFileName(path)}:{range.Value.Start.Line + 1}").ConfigureAwait(false);

        var progress = new SynchronousProgress<RefineProgress>(p => stderr.WriteLine(p.Round == 0 ? p.Message : $"round {p.Round}/{p.MaxRounds}: {p.Message}"));
        var outcome = await engine.RunAsync(new RefineRequest(kind, path, range.Value, options.Instruction), progress, cancellationToken).ConfigureAwait(false);

        foreach (var change in outcome.Changes)
        {
            var relative = Path.GetRelativePath(folder, change.Path).Replace('\\', '/');
            // A byte order mark is the first line's first bytes for git apply and patch: the diff shows it on both sides.
            var mark = snapshot.HadUtf8ByteOrderMark(change.Path) ? "\uFEFF" : "";
            var diff = UnifiedDiff.Create(mark + snapshot.TextAtStart(change.Path), mark + WithoutMark(change.NewText), "a/" + relative, "b/" + relative);
            await stdout.WriteAsync(diff).ConfigureAwait(false);
        }
        // --apply takes only what verified: an unverified candidate is printed for the user to judge, never written.
        var apply = options.Apply && outcome.AppliesAtOnce;
        var changedOnDisk = apply ? outcome.Changes.Where(c => snapshot.ChangedSinceStart(c.Path)).ToList() : [];
        if (changedOnDisk.Count > 0)
        {
            await stderr.WriteLineAsync(outcome.Summary).ConfigureAwait(false);
            foreach (var change in changedOnDisk)
            {
                await stderr.WriteLineAsync($"error: not applied: {Path.GetRelativePath(folder, change.Path)} changed on disk since the run started; the diff above is against the file as it was then").ConfigureAwait(false);
            }
            return ExitChangedOnDisk;
        }
        if (apply)
        {
            foreach (var change in outcome.Changes)
            {
                var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: snapshot.HadUtf8ByteOrderMark(change.Path));
                await File.WriteAllTextAsync(change.Path, WithoutMark(change.NewText), encoding, cancellationToken).ConfigureAwait(false);
            }
        }
        await stderr.WriteLineAsync(outcome.Summary).ConfigureAwait(false);
        if (!outcome.Verified && string.IsNullOrWhiteSpace(options.Model))
        {
            // The engine's summary names the editor's settings (oci.model.*); on the command line the model is an option.
            await stderr.WriteLineAsync("hint: give a model with --model PATH.gguf (LLamaSharp) or --model http(s)://HOST/v1 (an OpenAI-compatible server)").ConfigureAwait(false);
        }
        if (apply) await stderr.WriteLineAsync($"applied to {outcome.Changes.Count} file(s)").ConfigureAwait(false);
        else if (options.Apply && outcome.NeedsConfirmation)
        {
            await stderr.WriteLineAsync($"not applied: the diff above is not verified ({outcome.WhatFails ?? "it did not pass"}); --apply writes only a verified result").ConfigureAwait(false);
        }
        return outcome.Verified ? ExitVerified : ExitNotVerified;
    }

    private static string WithoutMark(string text) => text.StartsWith('\uFEFF') ? text[1..] : text;

    private static OciSettings Settings(RefineCliOptions options)
    {
        var settings = new OciSettings();
        if (options.Model is { Length: > 0 } model)
        {
            settings = settings with { Model = ModelArgument.Apply(settings.Model, model) };
        }
        if (options.Rounds is { } rounds) settings = settings with { Refine = settings.Refine with { MaxRounds = Math.Max(1, rounds) } };
        return settings;
    }

    /// <summary>The range to work at: the member's declaration, the line's first character, or the file's start.</summary>
    private static LinePositionSpan? FindRange(string text, RefineCliOptions options, out string? problem)
    {
        problem = null;
        var source = SourceText.From(text);
        if (options.Member is { Length: > 0 } name)
        {
            var declaration = MemberLocator.FindByName(CSharpSyntaxTree.ParseText(source).GetRoot(), name);
            if (declaration is null)
            {
                problem = $"no member or type named {name} in {options.File}";
                return null;
            }
            var span = source.Lines.GetLinePositionSpan(declaration.Span);
            // refineSelection works on the whole declaration; the others at its start.
            return options.Kind == RefineKind.RefineSelection ? span : new LinePositionSpan(span.Start, span.Start);
        }
        if (options.Line is { } line)
        {
            if (line < 1 || line > source.Lines.Count)
            {
                problem = $"line {line} is outside {options.File} (1–{source.Lines.Count})";
                return null;
            }
            var textLine = source.Lines[line - 1];
            var lineText = textLine.ToString();
            var column = lineText.Length - lineText.TrimStart().Length;
            return options.Kind == RefineKind.RefineSelection
                ? new LinePositionSpan(new LinePosition(line - 1, column), new LinePosition(line - 1, lineText.Length))
                : new LinePositionSpan(new LinePosition(line - 1, column), new LinePosition(line - 1, column));
        }
        if (options.Kind is null or RefineKind.FixDiagnostic) return new LinePositionSpan(default, default);
        problem = "say where to work: --member NAME or --line N";
        return null;
    }

    private static async Task<RefineKind> ChooseKindAsync(IRefineEngine engine, string path, LinePositionSpan range, RefineCliOptions options, CancellationToken cancellationToken)
    {
        if (options.Kind is { } kind) return kind;
        if (!string.IsNullOrWhiteSpace(options.Instruction)) return RefineKind.RefineSelection;
        if (options.Member is null && options.Line is null) return RefineKind.FixDiagnostic;
        var suggestions = await engine.SuggestActionsAsync(path, range, [], cancellationToken).ConfigureAwait(false);
        return suggestions.Any(s => s.Kind == RefineKind.Generate) ? RefineKind.Generate
            : suggestions.Any(s => s.Kind == RefineKind.FixDiagnostic) ? RefineKind.FixDiagnostic
            : RefineKind.RunAndRefine;
    }
}

/// <summary>The parsed options of <c>oci refine</c>.</summary>
public sealed record RefineCliOptions(
    string Workspace,
    string File,
    string? Member = null,
    int? Line = null,
    RefineKind? Kind = null,
    string? Instruction = null,
    string? Model = null,
    int? Rounds = null,
    bool Apply = false);
