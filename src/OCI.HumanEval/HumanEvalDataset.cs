using System.Text.Json;

namespace OCI.HumanEval;

/// <summary>Reads MultiPL-E's jsonl files (humaneval-cs.jsonl, mbpp-cs.jsonl) into problems, in file order.</summary>
public static class HumanEvalDataset
{
    /// <summary>The default file of each benchmark name in <c>../shared/bench/</c>.</summary>
    public static string DefaultFileName(string benchmark) => benchmark.ToUpperInvariant() switch
    {
        "HUMANEVAL" => "humaneval-cs.jsonl",
        "MBPP" => "mbpp-cs.jsonl",
        _ => throw new ArgumentException($"Unknown benchmark '{benchmark}' (humaneval or mbpp).", nameof(benchmark)),
    };

    /// <summary>
    /// Loads the problems. Problems whose upstream tests never compile (<c>upstream_tests_compile: false</c>, 26 of
    /// MBPP's) are skipped: no completion can pass them. A malformed line is an error naming the file and line.
    /// </summary>
    public static async Task<IReadOnlyList<HumanEvalProblem>> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Benchmark file not found: {path}", path);
        var problems = new List<HumanEvalProblem>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var problem = Parse(line);
                if (problem is not null) problems.Add(problem);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a MultiPL-E problem ({e.Message}).", e);
            }
        }
        return problems;
    }

    /// <summary>Null when the problem is unusable (its upstream tests never compile).</summary>
    public static HumanEvalProblem? Parse(string jsonLine)
    {
        using var document = JsonDocument.Parse(jsonLine);
        var root = document.RootElement;
        if (root.TryGetProperty("upstream_tests_compile", out var compiles) && compiles.ValueKind == JsonValueKind.False) return null;
        var tests = root.TryGetProperty("tests_deep_equals", out var deep) && deep.ValueKind == JsonValueKind.String
            ? deep.GetString()!
            : root.GetProperty("tests").GetString()!;
        var stopTokens = root.TryGetProperty("stop_tokens", out var stops) && stops.ValueKind == JsonValueKind.Array
            ? stops.EnumerateArray().Select(s => s.GetString()!).ToList()
            : ["\n    }\n"];
        var problem = new HumanEvalProblem(
            root.GetProperty("name").GetString()!,
            root.GetProperty("prompt").GetString()!,
            tests,
            stopTokens);
        _ = problem.EntryPoint; // fails early, with the problem's name, when the prompt has no signature
        return problem;
    }
}
