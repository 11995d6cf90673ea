using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Models;
using OCI.Models.Llama;

// Model-layer benchmark: prompt and generation speed on a GGUF, and what KV reuse saves over a refine conversation.
var culture = CultureInfo.InvariantCulture;
var modelPath = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "models", "stories260K.gguf"));
var rounds = IntOption("--rounds", 6);
var threads = IntOption("--threads", Environment.ProcessorCount);
var contextSize = (uint)IntOption("--context", 2048);

using var loggerFactory = LoggerFactory.Create(b => b
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("OCI.Models.Llama.LlamaSharpChatClient", LogLevel.Warning)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
var settings = new ModelSettings
{
    Backend = ModelBackend.LlamaSharp,
    Path = modelPath,
    ContextSize = contextSize,
    BatchSize = 512,
    Threads = threads,
    Temperature = 0,
};
var load = Stopwatch.StartNew();
using var model = LlamaModel.Load(settings, loggerFactory);
load.Stop();
using var client = new LlamaSharpChatClient(model, loggerFactory);
Console.WriteLine(string.Create(culture, $"model      {Path.GetFileName(modelPath)} ({model.Architecture}, vocab {model.VocabularySize}, template {model.Template.Name}), context {contextSize}, {threads} threads"));
Console.WriteLine(string.Create(culture, $"native     {NativeLibrarySetup.LoadedLibraryDescription}"));
Console.WriteLine(string.Create(culture, $"load       {load.Elapsed.TotalMilliseconds:0} ms"));

// 1. Prompt speed: a long prompt, one generated token, no reuse (fresh context each time). Best of 3.
var story = string.Join(' ', Enumerable.Repeat("Once upon a time, there was a little girl named Lily. She liked to play in the park with her dog.", 12));
var promptRuns = new List<LlamaRequestStats>();
for (var i = 0; i < 3; i++)
{
    await client.GetResponseAsync([new(ChatRole.User, story)], new ChatOptions { Temperature = 0, MaxOutputTokens = 1 });
    promptRuns.Add(client.LastRequestStats!);
}
var bestPrompt = promptRuns.MaxBy(s => s.PromptTokensPerSecond)!;
Console.WriteLine(string.Create(culture, $"prompt     {bestPrompt.EvaluatedPromptTokens} tokens, {bestPrompt.PromptTokensPerSecond:0} tok/s (best of 3)"));

// 2. Generation speed: sampled so the tiny model does not stop early. Best of 3.
var generationRuns = new List<LlamaRequestStats>();
for (var i = 0; i < 3; i++)
{
    await client.GetResponseAsync([new(ChatRole.User, "Once upon a time")], new ChatOptions { Temperature = 0.8f, Seed = 7 + i, MaxOutputTokens = 256 });
    generationRuns.Add(client.LastRequestStats!);
}
var bestGeneration = generationRuns.MaxBy(s => s.GenerationTokensPerSecond)!;
Console.WriteLine(string.Create(culture, $"generation {bestGeneration.GeneratedTokens} tokens, {bestGeneration.GenerationTokensPerSecond:0} tok/s (best of 3)"));

// 3. A refine conversation: task, then feedback rounds. With reuse: one conversation id (KV cache kept).
//    Without: the same message lists sent with no id (every round evaluates the whole history).
const string task = "Write a C# method Add(int a, int b) that returns the sum. Once upon a time, there was a little girl named Lily.";
var conversation = new ChatConversation(client, "You are a careful C# programmer. Reply with one code block.",
    new ChatOptions { Temperature = 0, MaxOutputTokens = 48 });
var withReuse = new List<LlamaRequestStats>();
var histories = new List<List<ChatMessage>>();
var reuseClock = Stopwatch.StartNew();
for (var round = 0; round < rounds; round++)
{
    var text = round == 0 ? task : $"Round {round}: the build failed. error CS0103: The name 'sum{round}' does not exist in the current context. The test Add_ReturnsSum failed.";
    await conversation.SendAsync(text, null, CancellationToken.None);
    withReuse.Add(client.LastRequestStats!);
    histories.Add([.. conversation.Messages.Take(conversation.Messages.Count - 1)]);
}
reuseClock.Stop();
var withoutReuse = new List<LlamaRequestStats>();
var freshClock = Stopwatch.StartNew();
foreach (var history in histories)
{
    await client.GetResponseAsync(history, new ChatOptions { Temperature = 0, MaxOutputTokens = 48 });
    withoutReuse.Add(client.LastRequestStats!);
}
freshClock.Stop();

Console.WriteLine();
Console.WriteLine("round  prompt  evaluated(reuse)  evaluated(no reuse)  ratio");
for (var i = 0; i < rounds; i++)
{
    var r = withReuse[i];
    var f = withoutReuse[i];
    Console.WriteLine(string.Create(culture, $"{i + 1,5}  {r.PromptTokens,6}  {r.EvaluatedTokens,16}  {f.EvaluatedTokens,19}  {(double)f.EvaluatedTokens / Math.Max(1, r.EvaluatedTokens),5:0.00}x"));
}
var totalReuse = withReuse.Sum(s => s.EvaluatedTokens);
var totalFresh = withoutReuse.Sum(s => s.EvaluatedTokens);
Console.WriteLine(string.Create(culture, $"total         {totalReuse,16}  {totalFresh,19}  {(double)totalFresh / Math.Max(1, totalReuse),5:0.00}x"));
Console.WriteLine(string.Create(culture, $"refine wall time: {reuseClock.Elapsed.TotalMilliseconds:0} ms with reuse, {freshClock.Elapsed.TotalMilliseconds:0} ms without"));
Console.WriteLine("(evaluated = prompt tokens run through the model + generated tokens fed back)");

// 4. Candidates from one prompt: N sequences forked from one evaluation of the prompt and decoded in one batch
//    (GetCandidatesAsync), against the same N candidates (same sampling, same seeds) decoded one after another, each
//    evaluating the prompt as a request does today. Median of 3 runs each, in this process.
var candidateTokens = IntOption("--candidate-tokens", 128);
var candidatePrompt = new List<ChatMessage> { new(ChatRole.System, "You tell short stories."), new(ChatRole.User, story) };
var candidateOptions = new ChatOptions { Temperature = 0, Seed = 11, MaxOutputTokens = candidateTokens };
Console.WriteLine();
Console.WriteLine(string.Create(culture, $"candidates from one prompt ({model.Tokenize(model.Template.Render(candidatePrompt)).Count} prompt tokens, up to {candidateTokens} tokens each), median of 3"));
Console.WriteLine("    N  batched ms  tokens  tok/s/seq  prompt evals | sequential ms  tokens  tok/s/seq  prompt evals | batched/sequential  batched(N)/batched(1)");
double? batchedOne = null;
foreach (var n in new[] { 1, 2, 4, 8 })
{
    var batchedRuns = new List<(double Ms, long Tokens, long Evaluated)>();
    var sequentialRuns = new List<(double Ms, long Tokens, long Evaluated)>();
    for (var run = 0; run < 3; run++)
    {
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        await foreach (var reply in client.GetCandidatesAsync(candidatePrompt, n, candidateOptions, CancellationToken.None)) tokens += reply.OutputTokens;
        batchedRuns.Add((clock.Elapsed.TotalMilliseconds, tokens, client.LastRequestStats!.EvaluatedPromptTokens));

        clock.Restart();
        long sequentialTokens = 0, evaluated = 0;
        for (var i = 0; i < n; i++)
        {
            await client.GetResponseAsync(candidatePrompt, OCI.Models.Candidates.CandidateSampling.For(candidateOptions, i));
            sequentialTokens += client.LastRequestStats!.GeneratedTokens;
            evaluated += client.LastRequestStats.EvaluatedPromptTokens;
        }
        sequentialRuns.Add((clock.Elapsed.TotalMilliseconds, sequentialTokens, evaluated));
    }
    var b = batchedRuns.OrderBy(r => r.Ms).ElementAt(1);
    var q = sequentialRuns.OrderBy(r => r.Ms).ElementAt(1);
    batchedOne ??= b.Ms;
    double PerSequence((double Ms, long Tokens, long Evaluated) r) => r.Tokens / (double)n / Math.Max(1e-9, r.Ms / 1000);
    Console.WriteLine(string.Create(culture,
        $"{n,5}  {b.Ms,10:0}  {b.Tokens,6}  {PerSequence(b),9:0}  {b.Evaluated,12} | {q.Ms,13:0}  {q.Tokens,6}  {PerSequence(q),9:0}  {q.Evaluated,12} | {b.Ms / q.Ms,17:0.00}x  {b.Ms / batchedOne.Value,20:0.00}x"));
}

int IntOption(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OCI.LanguageServer.sln"))) directory = directory.Parent;
    return directory?.FullName ?? Directory.GetCurrentDirectory();
}
