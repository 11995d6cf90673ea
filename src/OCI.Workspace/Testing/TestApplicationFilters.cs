using OCI.TestHost;

namespace OCI.Workspace.Testing;

/// <summary>
/// The engine's VSTest filter (<c>FullyQualifiedName~A|FullyQualifiedName~B</c>) as each framework's own option on
/// Microsoft.Testing.Platform: <c>--filter</c> as it is for MSTest and NUnit (both take VSTest's syntax there),
/// <c>--filter-method</c> with wildcards for xunit.v3 (<c>-method</c> on its native runner), a tree-node filter on
/// classes for TUnit (<see cref="TUnitTreeFilter"/>). Where the framework's option selects more than the filter (a
/// method name in another class, every test of a class), <see cref="Keeps"/> narrows the results back to what VSTest's
/// filter would have run.
/// </summary>
public static class TestApplicationFilters
{
    /// <summary>The arguments that select <paramref name="filter"/>; null when this framework cannot select it (the whole assembly runs, then <see cref="Keeps"/> narrows).</summary>
    public static IReadOnlyList<string>? Arguments(TestFramework framework, bool xunitNativeRunner, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return [];
        if (framework is not (TestFramework.XunitV3 or TestFramework.TUnit)) return ["--filter", filter];
        if (NameClauses(filter) is not { } values) return null;
        if (framework == TestFramework.XunitV3)
        {
            var option = xunitNativeRunner ? "-method" : "--filter-method";
            return [.. values.SelectMany(v => new[] { option, v.Contains ? $"*{v.Value}*" : v.Value })];
        }
        return TUnitTreeFilter(filter) is { } tree ? ["--treenode-filter", tree] : null;
    }

    /// <summary>
    /// TUnit's tree-node filter (<c>/assembly/namespace/class/method</c>) for the filter's names; null when it is not a
    /// list of names. A name may be a test (<c>Ns.Class.Method</c>) or a class (<c>Ns.Class</c>), and the filter
    /// language has no alternative of whole paths, so it selects the classes either reading names (the last and the
    /// second-last part): a superset, which <see cref="Keeps"/> narrows. Selecting by method name alone, as before,
    /// selected nothing for a class.
    /// </summary>
    public static string? TUnitTreeFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter) || NameClauses(filter) is not { } values) return null;
        var classes = values
            .Select(v => Parts(v.Value))
            .SelectMany(parts => parts.Length >= 2 ? [parts[^1], parts[^2]] : parts)
            .Distinct(StringComparer.Ordinal)
            .Select(c => $"({Escape(c)})");
        return $"/*/*/{string.Join('|', classes)}/*";
    }

    /// <summary>Whether a result named <paramref name="testName"/> is one <paramref name="filter"/> selects (true when the filter is not a list of names).</summary>
    public static bool Keeps(string? filter, string testName)
    {
        if (string.IsNullOrWhiteSpace(filter) || NameClauses(filter) is not { } values) return true;
        return values.Any(v => v.Contains
            ? testName.Contains(v.Value, StringComparison.Ordinal)
            : testName == v.Value || testName.StartsWith(v.Value + "(", StringComparison.Ordinal));
    }

    /// <summary>The test or class names the filter selects by name; empty when it is not a list of names.</summary>
    public static IReadOnlyList<string> Names(string? filter) =>
        string.IsNullOrWhiteSpace(filter) || NameClauses(filter) is not { } values ? [] : [.. values.Select(v => v.Value).Distinct(StringComparer.Ordinal)];

    /// <summary>The filter's names when it is alternatives of <c>FullyQualifiedName~</c>/<c>=</c> clauses; else null.</summary>
    private static List<(string Value, bool Contains)>? NameClauses(string filter)
    {
        if (TestFilterTranslation.Translate(filter) is not { } translated) return null;
        if (translated.Clauses.Count == 0) return null;
        if (translated.MatchAll && translated.Clauses.Count > 1) return null;
        if (translated.Clauses.Any(c => c is not { Field: "FullyQualifiedName", Operator: "~" or "=" })) return null;
        return [.. translated.Clauses.Select((TestNameClause c) => (c.Value, c.Operator == "~"))];
    }

    /// <summary>The dotted parts of a fully qualified name, its arguments left off (<c>Ns.Class.Method(a.b)</c> gives Ns, Class, Method).</summary>
    private static string[] Parts(string name)
    {
        var open = name.IndexOf('(', StringComparison.Ordinal);
        var bare = open >= 0 ? name[..open] : name;
        return bare.Split('.', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Tree-node filter syntax reserves these characters.</summary>
    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is '/' or '(' or ')' or '|' or '&' or '*' or '\\' or '[' or ']' or '=' or '!' ? "\\" + c : c.ToString()));
}
