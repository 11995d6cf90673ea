using Xunit.Abstractions;

namespace OCI.TestHost;

/// <summary>
/// xunit's discovery and execution options are a bag of named values; the framework reads defaults for anything absent,
/// so an empty bag means "what dotnet test would do without a runner config".
/// </summary>
internal sealed class RunnerOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
}
