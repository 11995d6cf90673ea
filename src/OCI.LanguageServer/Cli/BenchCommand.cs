using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.HumanEval;
using OCI.Models;

namespace OCI.LanguageServer.Cli;

/// <summary>
/// <c>oci bench humaneval|mbpp</c>: pass@1 of a model on MultiPL-E's C# problems, single-turn and after each feedback
/// round, through the refine loop the editor runs. The table goes to stdout, progress and logs to stderr; results
/// are appended per problem so an interrupted run resumes where it stopped.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure a model on HumanEval-C# or MBPP-C#: pass@1 single-turn and after execution feedback.");
        bench.Subcommands.Add(CreateFor("humaneval", "HumanEval-C#"));
        bench.Subcommands.Add(CreateFor("mbpp", "MBPP-C#"));
        return bench;
    }

    private static Command CreateFor(string benchmark, string title)
    {
        var model = new Option<string?>("--model") { Description = "A GGUF file (LLamaSharp) or the http(s) URL of an OpenAI-compatible server (…/v1)." };
        var modelName = new Option<string?>("--model-name") { Description = "Model name sent to the OpenAI-compatible server." };
        var rounds = new Option<int>("--rounds") { Description = "Feedback rounds after the single-turn round 0.", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Run only the first K problems." };
        var seed = new Option<int>("--seed") { Description = "Sampling seed (decoding is greedy).", DefaultValueFactory = _ => 42 };
        var feedback = new Option<string>("--feedback")
        {
            Description = "compile: only compiler errors go back (what the editor knows without tests); tests: failing assertions too (as the paper did).",
            DefaultValueFactory = _ => "tests",
        };
        feedback.AcceptOnlyFromAmong("compile", "tests");
        var candidates = new Option<int>("--candidates") { Description = "Candidates per round from one prompt (the first greedy, the others seeded samples); the report gives the first candidate's pass@1 and the verified best-of-N rate.", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Problems run at once, each in its own conversation.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "The JSON report (default: bench-<benchmark>-<model>-<feedback>-r<rounds>-s<seed>.json)." };
        var resume = new Option<string?>("--resume") { Description = "The per-problem results file (default: the --out path with .jsonl); rerunning with it skips finished problems." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per reply.", DefaultValueFactory = _ => 512 };
        var contextSize = new Option<uint?>("--context-size") { Description = "Context size of a GGUF model (default: the model layer's default)." };
        var gpuLayers = new Option<int>("--gpu-layers") { Description = "Layers offloaded to the GPU (Cuda12 build).", DefaultValueFactory = _ => 0 };
        var dataset = new Option<string?>("--dataset") { Description = $"The problems' jsonl file (default: {HumanEvalDataset.DefaultFileName(benchmark)} in ../shared/bench)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one candidate's tests may run.", DefaultValueFactory = _ => 10 };
        var harnessCheck = new Option<bool>("--harness-check") { Description = "No model: grade every problem with `return default;` and print the harness's compile + run time per problem." };
        var verbose = new Option<bool>("--verbose") { Description = "Log each round to stderr." };

        var command = new Command(benchmark, $"Run {title} through the refine loop.");
        foreach (var option in new Option[] { model, modelName, rounds, limit, seed, feedback, candidates, parallel, output, resume, maxTokens, contextSize, gpuLayers, dataset, timeout, harnessCheck, verbose })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(builder => builder
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning));
            var progress = new Progress<string>(line => Console.Error.WriteLine(line));
            var invalid = new List<string>();
            if (parse.GetValue(rounds) < 0) invalid.Add("--rounds must be 0 or more.");
            if (parse.GetValue(limit) is < 1) invalid.Add("--limit must be 1 or more.");
            if (parse.GetValue(parallel) < 1) invalid.Add("--parallel must be 1 or more.");
            if (parse.GetValue(maxTokens) < 1) invalid.Add("--max-tokens must be 1 or more.");
            if (parse.GetValue(timeout) <= 0) invalid.Add("--timeout must be more than 0 seconds.");
            if (!parse.GetValue(harnessCheck) && string.IsNullOrWhiteSpace(parse.GetValue(model)))
            {
                invalid.Add("--model is required (a GGUF path or an http(s) URL), or use --harness-check to measure the harness alone.");
            }
            if (invalid.Count > 0)
            {
                foreach (var line in invalid) await Console.Error.WriteLineAsync("oci bench: " + line).ConfigureAwait(false);
                return 2;
            }
            try
            {
                var problems = await HumanEvalDataset.LoadAsync(ResolveDataset(benchmark, parse.GetValue(dataset)), cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(limit) is { } k) problems = [.. problems.Take(k)];
                using var verifier = new HumanEvalVerifier(
                    new HumanEvalVerifierOptions(TimeSpan.FromSeconds(parse.GetValue(timeout))),
                    loggerFactory.CreateLogger<HumanEvalVerifier>());
                await Console.Error.WriteLineAsync("oci bench: candidates' programs run with " + verifier.ProcessSandbox.Status).ConfigureAwait(false);

                if (parse.GetValue(harnessCheck))
                {
                    var overhead = await HarnessOverhead.MeasureAsync(problems, verifier, parse.GetValue(parallel), null, cancellationToken).ConfigureAwait(false);
                    await Console.Out.WriteAsync(overhead.ToMarkdown($"{title}, {problems.Count} problems, parallel {parse.GetValue(parallel)}")).ConfigureAwait(false);
                    if (parse.GetValue(output) is { } overheadPath)
                    {
                        await File.WriteAllTextAsync(overheadPath, JsonSerializer.Serialize(overhead, JsonOptions), cancellationToken).ConfigureAwait(false);
                    }
                    return 0;
                }

                var modelSettings = ToModelSettings(parse.GetValue(model)!, parse.GetValue(modelName), parse.GetValue(seed), parse.GetValue(maxTokens),
                    parse.GetValue(contextSize), parse.GetValue(gpuLayers));
                var settings = new BenchmarkSettings(title, ModelLabel(modelSettings), parse.GetValue(rounds),
                    parse.GetValue(feedback) == "compile" ? FeedbackMode.Compile : FeedbackMode.Tests, parse.GetValue(seed), parse.GetValue(maxTokens),
                    Math.Clamp(parse.GetValue(candidates), 1, ModelCapacity.MaxCandidates));
                var outPath = parse.GetValue(output) ?? DefaultOutPath(benchmark, settings);
                var resultsPath = parse.GetValue(resume) ?? Path.ChangeExtension(outPath, ".jsonl");

                using var client = ChatModelFactory.Create(modelSettings, loggerFactory)
                    ?? throw new ModelException("No model backend was configured.");
                var runner = new BenchmarkRunner(loggerFactory);
                BenchmarkReport report;
                try
                {
                    report = await runner.RunAsync(problems, client, verifier, new BenchmarkRunOptions(settings, resultsPath, parse.GetValue(parallel)), progress, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await Console.Error.WriteLineAsync($"Interrupted. Finished problems are kept in {resultsPath}; run the same command again to resume.").ConfigureAwait(false);
                    return 130;
                }
                await Console.Out.WriteAsync(report.ToMarkdown()).ConfigureAwait(false);
                await report.WriteJsonAsync(outPath, cancellationToken).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"Report: {outPath}; per-problem results: {resultsPath}").ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is ModelException or InvalidDataException or FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync("oci bench: " + e.Message).ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static ModelSettings ToModelSettings(string model, string? modelName, int seed, int maxTokens, uint? contextSize, int gpuLayers)
    {
        var settings = new ModelSettings { Seed = seed, MaxTokens = maxTokens, Temperature = 0f, TopP = 1f, GpuLayers = gpuLayers };
        if (contextSize is { } size) settings = settings with { ContextSize = size };
        settings = ModelArgument.Apply(settings, model, modelName);
        if (settings.Backend == ModelBackend.LlamaSharp && !File.Exists(settings.Path))
        {
            throw new FileNotFoundException($"Model file not found: {settings.Path} (give a GGUF file or an http(s) URL).", settings.Path);
        }
        return settings;
    }

    private static string ModelLabel(ModelSettings settings) => settings.Backend == ModelBackend.OpenAI
        ? $"{settings.DisplayName() ?? "default model"} at {settings.Endpoint}"
        : settings.DisplayName()!;

    private static string DefaultOutPath(string benchmark, BenchmarkSettings settings)
    {
        var model = new StringBuilder();
        foreach (var c in settings.Model) model.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        return $"bench-{benchmark}-{model}-{settings.Feedback.ToString().ToLowerInvariant()}-r{settings.Rounds}-s{settings.Seed}{(settings.Candidates > 1 ? $"-n{settings.Candidates}" : "")}.json";
    }

    /// <summary>--dataset, else ../shared/bench/&lt;file&gt; found from OCI_SHARED, the working folder or the program's folder upwards.</summary>
    private static string ResolveDataset(string benchmark, string? explicitPath)
    {
        if (explicitPath is not null) return Path.GetFullPath(explicitPath);
        var file = HumanEvalDataset.DefaultFileName(benchmark);
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("OCI_SHARED") is { Length: > 0 } shared) candidates.Add(Path.Combine(shared, "bench", file));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                candidates.Add(Path.Combine(directory.FullName, "shared", "bench", file));
                candidates.Add(Path.Combine(directory.FullName, "..", "shared", "bench", file));
            }
        }
        return candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{file} not found in shared/bench above the working folder or the program; give it with --dataset FILE.");
    }
}
