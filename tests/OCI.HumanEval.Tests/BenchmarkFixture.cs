using Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.HumanEval;
using OCI.Testing;

namespace OCI.HumanEval.Tests;

/// <summary>The real HumanEval-C# problems from ../shared/bench and one verifier (short timeout) shared by the benchmark tests.</summary>
public sealed class BenchmarkFixture : IDisposable
{
    public BenchmarkFixture()
    {
        var path = Path.Combine(FixturePaths.Shared, "bench", "humaneval-cs.jsonl");
        Problems = HumanEvalDataset.LoadAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        Verifier = new HumanEvalVerifier(new HumanEvalVerifierOptions(OCI.Testing.TestWaits.Seconds(3)), NullLogger.Instance);
    }

    public IReadOnlyList<HumanEvalProblem> Problems { get; }

    public HumanEvalVerifier Verifier { get; }

    public HumanEvalProblem Problem(string entryPoint) => Problems.Single(p => p.EntryPoint == entryPoint);

    public void Dispose() => Verifier.Dispose();
}

[CollectionDefinition(Name)]
public sealed class BenchmarkCollection : ICollectionFixture<BenchmarkFixture>
{
    public const string Name = "benchmark";
}
