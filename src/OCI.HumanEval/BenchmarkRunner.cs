using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OCI.Engine.Refine;
using OCI.Models;
using OCI.Workspace.Verification;

namespace OCI.HumanEval;

/// <summary>How to run: the comparable settings, plus what does not change results (parallelism, where results go).</summary>
public sealed record BenchmarkRunOptions(BenchmarkSettings Settings, string ResultsPath, int Parallel = 1);

/// <summary>
/// Runs benchmark problems through <see cref="RefineLoop"/>, the loop the editor uses: each problem in its own
/// conversation, <c>rounds + 1</c> model rounds, stopping at the first candidate that passes. Greedy decoding with a
/// fixed seed makes a run deterministic for a given model. A problem that hangs, crashes or makes the model fail
/// counts as failed and the run goes on; each finished problem is appended to the results file at once.
/// </summary>
public sealed class BenchmarkRunner(ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<BenchmarkRunner>();

    /// <summary>The chat options of a benchmark run: greedy, seeded, bounded replies.</summary>
    public static ChatOptions ChatOptionsFor(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ChatOptions { Temperature = 0f, TopP = 1f, Seed = settings.Seed, MaxOutputTokens = settings.MaxTokens };
    }

    public async Task<BenchmarkReport> RunAsync(
        IReadOnlyList<HumanEvalProblem> problems,
        IChatClient client,
        ICandidateVerifier verifier,
        BenchmarkRunOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings;
        await using var results = await ResultsFile.OpenAsync(options.ResultsPath, settings, cancellationToken).ConfigureAwait(false);

        var records = new ProblemRecord?[problems.Count];
        var pending = new List<int>();
        for (var i = 0; i < problems.Count; i++)
        {
            if (results.Finished.TryGetValue(problems[i].Name, out var done)) records[i] = done;
            else pending.Add(i);
        }
        if (pending.Count < problems.Count)
        {
            progress?.Report($"resuming: {problems.Count - pending.Count} of {problems.Count} problems already in {options.ResultsPath}");
        }

        var chatOptions = ChatOptionsFor(settings);
        var finishedCount = problems.Count - pending.Count;
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallel), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var record = await RunProblemAsync(problems[index], client, chatOptions, verifier, settings, token).ConfigureAwait(false);
                await results.AppendAsync(record, token).ConfigureAwait(false);
                records[index] = record;
                var finished = Interlocked.Increment(ref finishedCount);
                progress?.Report($"[{finished}/{problems.Count}] {record.Name}: " +
                    (record.Error is not null ? "model error: " + record.Error : string.Join(", ", record.Rounds.Select(r => $"round {r.Round} {r.Summary}"))));
            }).ConfigureAwait(false);

        return BenchmarkReport.From(settings, [.. records.Select(r => r!)]);
    }

    private async Task<ProblemRecord> RunProblemAsync(
        HumanEvalProblem problem,
        IChatClient client,
        ChatOptions chatOptions,
        ICandidateVerifier verifier,
        BenchmarkSettings settings,
        CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var task = new HumanEvalTask(problem, settings.Feedback);
        var conversation = new ChatConversation(client, task.SystemPrompt, chatOptions, id: problem.Name);
        var loop = new RefineLoop(loggerFactory.CreateLogger<RefineLoop>());
        try
        {
            var result = await loop.RunAsync(task, conversation, verifier, new RefineLoopOptions(settings.Rounds + 1, CandidatesPerRound: Math.Max(1, settings.Candidates), VerifyEveryCandidate: true), null, cancellationToken)
                .ConfigureAwait(false);
            var rounds = result.Rounds.Select(ToRecord).ToList();
            var passedIn = result.Rounds.FirstOrDefault(r => r.Result?.Status == VerificationStatus.Passed)?.Round;
            return new ProblemRecord(problem.Name, passedIn, rounds, null, wall.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // A model that fails on one problem (context too small, a server error) fails that problem, not the run.
            _logger.LogWarning("Problem {Problem} ended in a model error: {Message}", problem.Name, e.Message);
            _logger.LogDebug(e, "Problem {Problem}: model error details", problem.Name);
            return new ProblemRecord(problem.Name, null, [], $"{e.GetType().Name}: {e.Message}", wall.Elapsed.TotalMilliseconds);
        }
    }

    private const int MaxStoredReply = 8000;

    private static RoundRecord ToRecord(RefineRound round) => new(
        round.Round,
        round.Result?.Status.ToString() ?? RoundRecord.NoCode,
        round.Result is null ? "no code in the reply" : ResultDescription.Of(round.Result),
        round.ModelTime.TotalMilliseconds,
        round.VerifyTime.TotalMilliseconds,
        round.Result?.CompileTime.TotalMilliseconds ?? 0,
        round.Result?.TestTime.TotalMilliseconds ?? 0,
        round.InputTokens,
        round.OutputTokens,
        round.Round == 0 ? null : round.Prompt,
        round.Reply.Length <= MaxStoredReply ? round.Reply : round.Reply[..MaxStoredReply])
    {
        CandidateStatuses = round.Candidates?.Select(c => c.Result?.Status.ToString() ?? RoundRecord.NoCode).ToList(),
    };
}
