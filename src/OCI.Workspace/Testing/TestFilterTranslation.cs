using OCI.TestHost;

namespace OCI.Workspace.Testing;

/// <summary>
/// Translates the simple VSTest filters the engine writes (<c>FullyQualifiedName~A|FullyQualifiedName~B</c>) into the
/// test host's name clauses. Anything richer (parentheses, mixed <c>&amp;</c>/<c>|</c>, traits, escapes) is not
/// translated: such a run goes through <c>dotnet test</c>, which understands every filter.
/// </summary>
public static class TestFilterTranslation
{
    private static readonly string[] Operators = ["!=", "!~", "=", "~"];

    /// <summary>The clauses and whether all must match; null when the filter is not one we translate faithfully.</summary>
    public static (IReadOnlyList<TestNameClause> Clauses, bool MatchAll)? Translate(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return ([], false);
        if (filter.IndexOfAny(['(', ')', '\\']) >= 0) return null;
        var hasOr = filter.Contains('|', StringComparison.Ordinal);
        var hasAnd = filter.Contains('&', StringComparison.Ordinal);
        if (hasOr && hasAnd) return null;
        var clauses = new List<TestNameClause>();
        foreach (var part in filter.Split(hasAnd ? '&' : '|'))
        {
            var text = part.Trim();
            if (text.Length == 0) return null;
            var clause = Parse(text);
            if (clause is null) return null;
            clauses.Add(clause);
        }
        return (clauses, hasAnd);
    }

    /// <summary>
    /// <paramref name="filter"/> widened by the tests <paramref name="names"/> (each as <c>FullyQualifiedName~name</c>):
    /// only a filter that is nothing or alternatives of names can be widened so; any other one is kept as it is.
    /// </summary>
    public static string? WithTests(string? filter, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) return filter;
        if (filter is not null && (Translate(filter) is not { MatchAll: false } translated || translated.Clauses.Any(c => c is not { Field: "FullyQualifiedName", Operator: "~" })))
        {
            return filter;
        }
        var present = filter is null ? [] : filter.Split('|').Select(p => p.Trim()).ToHashSet(StringComparer.Ordinal);
        var added = names.Select(n => "FullyQualifiedName~" + n).Where(present.Add).ToList();
        return added.Count == 0 ? filter : string.Join('|', (filter is null ? [] : new[] { filter }).Concat(added));
    }

    private static TestNameClause? Parse(string text)
    {
        foreach (var op in Operators)
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0) continue;
            var field = text[..at].Trim();
            var value = text[(at + op.Length)..].Trim();
            if (value.Length == 0) return null;
            return field is "FullyQualifiedName" or "DisplayName" ? new TestNameClause(field, op, value) : null;
        }
        // A bare value means FullyQualifiedName~value to VSTest.
        return text.IndexOfAny(['=', '~', '!']) < 0 ? new TestNameClause("FullyQualifiedName", "~", text) : null;
    }
}
