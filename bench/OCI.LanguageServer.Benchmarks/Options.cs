using System.Globalization;

namespace OCI.LanguageServer.Benchmarks;

/// <summary>Command-line options of the benchmark (see Program.cs).</summary>
internal sealed record Options(int Requests, int Runs, int Classes, string? Endpoint, string? ModelName)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(2000, 3, 50, null, null);
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
                _ => throw new ArgumentException($"unknown option {args[i]} (known: --requests N, --runs N, --classes N, --endpoint URL, --model NAME)"),
            };
        }
        return options;
    }
}
