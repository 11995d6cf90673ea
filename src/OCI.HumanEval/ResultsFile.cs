using System.Text;
using System.Text.Json;

namespace OCI.HumanEval;

/// <summary>
/// The append-only results file that makes a run resumable: a header line with the settings, then one JSON line per
/// finished problem, flushed as each finishes. A rerun with the same file skips the problems in it (the last line of
/// a problem wins; problems that ended in a model error are run again), so an interrupted run loses at most the
/// problems in flight. A file made with other settings is refused rather than mixed.
/// </summary>
public sealed class ResultsFile : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ResultsFile(StreamWriter writer, IReadOnlyDictionary<string, ProblemRecord> finished)
    {
        _writer = writer;
        Finished = finished;
    }

    /// <summary>Problems already finished (without a model error), by name.</summary>
    public IReadOnlyDictionary<string, ProblemRecord> Finished { get; }

    public static async Task<ResultsFile> OpenAsync(string path, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var finished = new Dictionary<string, ProblemRecord>(StringComparer.Ordinal);
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (exists)
        {
            var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
            var header = TryParse(lines[0])?.Header
                ?? throw new InvalidDataException($"{path} is not a benchmark results file (its first line is not a header). Choose another --resume path.");
            if (header != settings)
            {
                throw new InvalidDataException(
                    $"{path} holds results of other settings ({Describe(header)}), not of this run ({Describe(settings)}). " +
                    "Choose another --out/--resume path, or delete the file to start over.");
            }
            foreach (var line in lines.Skip(1))
            {
                // A line torn by an interrupted write is skipped: that problem simply runs again.
                if (TryParse(line)?.Problem is { } problem)
                {
                    if (problem.Error is null) finished[problem.Name] = problem;
                    else finished.Remove(problem.Name);
                }
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        if (!exists)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(new ResultsLine(Header: settings), BenchmarkJson.Compact)).ConfigureAwait(false);
        }
        else if (stream.Length > 0)
        {
            // Start on a fresh line even if the last write was torn.
            await writer.WriteLineAsync().ConfigureAwait(false);
        }
        return new ResultsFile(writer, finished);
    }

    public async Task AppendAsync(ProblemRecord record, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.Serialize(new ResultsLine(Problem: record), BenchmarkJson.Compact);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _writer.WriteLineAsync(line).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static ResultsLine? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            return JsonSerializer.Deserialize<ResultsLine>(line, BenchmarkJson.Compact);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(BenchmarkSettings s) =>
        $"{s.Benchmark}, model {s.Model}, {s.Rounds} feedback rounds, feedback {s.Feedback}, seed {s.Seed}, max tokens {s.MaxTokens}";
}
