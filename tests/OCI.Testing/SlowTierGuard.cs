using System.Reflection;

namespace OCI.Testing;

/// <summary>
/// Keeps the fast tier fast: finds the test classes that take a fixture known to start MSBuild, <c>dotnet build</c> or
/// <c>dotnet test</c> (by constructor) but do not carry <c>[Trait(TestSpeed.Name, TestSpeed.Slow)]</c>. xunit's
/// attributes are matched by name, so this project needs no xunit reference.
/// </summary>
public static class SlowTierGuard
{
    /// <summary>The names of the unmarked test classes of <paramref name="assembly"/> that take one of <paramref name="slowFixtures"/>.</summary>
    public static IReadOnlyList<string> UnmarkedClassesUsing(Assembly assembly, params Type[] slowFixtures)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && HasTests(type) && !IsSlow(type))
            .Where(type => type.GetConstructors().SelectMany(c => c.GetParameters())
                .Any(parameter => slowFixtures.Any(fixture => fixture.IsAssignableFrom(parameter.ParameterType))))
            .Select(type => type.FullName ?? type.Name)
            .Order(StringComparer.Ordinal)];
    }

    private static bool HasTests(Type type) =>
        type.GetMethods().Any(method => method.GetCustomAttributesData().Any(attribute => IsOrDerivesFrom(attribute.AttributeType, "Xunit.FactAttribute")));

    private static bool IsSlow(Type type) =>
        type.GetCustomAttributesData().Any(attribute => attribute.AttributeType.FullName == "Xunit.TraitAttribute"
            && attribute.ConstructorArguments.Select(a => a.Value as string).SequenceEqual([TestSpeed.Name, TestSpeed.Slow]));

    private static bool IsOrDerivesFrom(Type? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.FullName == fullName) return true;
        }
        return false;
    }
}
