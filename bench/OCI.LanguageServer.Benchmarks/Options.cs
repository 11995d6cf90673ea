using System.Globalization;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>Command-line options of the benchmark (see Program.cs).</summary>
internal sealed record Options(int Requests, int Runs, int Classes, string? Endpoint, string? ModelName, bool FixIts = false, string Corpus = "", bool CorpusTests = false)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(2000, 3, 50, null, null, Corpus: Path.GetFullPath(Path.Combine(OCI.Testing.FixturePaths.RepositoryRoot, "..", "shared", "corpus", "csvhelper")));
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--requests" => options with { Requests = Number() },
                "--runs" => options with { Runs = Number() },
                "--classes" => options with { Classes = Number() },
                "--endpoint" => options with { Endpoint = Value() },
                "--model" => options with { ModelName = Value() },
                "--fixits" => options with { FixIts = true },
                "--corpus" => options with { Corpus = Path.GetFullPath(Value()) },
                "--corpus-tests" => options with { CorpusTests = true },
                _ => throw new ArgumentException($"unknown option {args[i]} (known: --requests N, --runs N, --classes N, --endpoint URL, --model NAME, --fixits [--corpus DIR] [--corpus-tests])"),
            };
        }
        return options;
    }
}
