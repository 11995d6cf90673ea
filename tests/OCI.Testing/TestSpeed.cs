namespace OCI.Testing;

/// <summary>
/// The xunit trait that splits the suites into a fast tier and a slow one. A test class that starts MSBuild,
/// <c>dotnet test</c>/<c>dotnet build</c>, a model or an editor carries <c>[Trait(TestSpeed.Name, TestSpeed.Slow)]</c>;
/// <c>dotnet test OCI.LanguageServer.sln -c Release --filter "Speed!=Slow"</c> runs the rest (scripts/test-fast.sh).
/// </summary>
public static class TestSpeed
{
    public const string Name = "Speed";

    public const string Slow = "Slow";
}
