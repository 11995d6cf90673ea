using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Compilation;

namespace OCI.Workspace.Testing;

/// <summary>
/// The tests that reference what a candidate changes: the members (methods, constructors, properties, fields, …) of
/// the code as it is whose declarations the candidate's edit touches, found with Roslyn's reference search and kept
/// when the reference sits in a test method; and the test methods the candidate's own edit writes or changes. The
/// engine's filter names the tests of the task's target; a candidate
/// may change other members too (a model's rewrite, a fix that edits a helper), and their tests belong among the ones
/// run first. Members are looked up once per state of the code: the candidates of one task mostly touch the same ones.
/// </summary>
internal sealed class ImpactedTests
{
    /// <summary>A change that touches more members than this is not narrowed to their tests (the request's filter stays).</summary>
    public const int MaxMembers = 8;

    /// <summary>How many test names one member contributes at most.</summary>
    public const int MaxTestsPerMember = 200;

    private readonly ConditionalWeakTable<Solution, ConcurrentDictionary<(DocumentId Document, int Start), ReachingTestNames>> _byBaseline = new();

    /// <summary>
    /// The names of the test methods that reference the members <paramref name="candidate"/> changes in
    /// <paramref name="baseline"/>; bounded when a search stopped at a bound or the change touched too many members to search.
    /// </summary>
    public async Task<ReachingTestNames> FindAsync(Solution baseline, CandidateSolution candidate, CancellationToken cancellationToken)
    {
        var cache = _byBaseline.GetValue(baseline, _ => new());
        var names = new List<string>();
        var bounded = false;
        foreach (var id in candidate.ChangedDocuments)
        {
            if (baseline.GetDocument(id) is not { } before || candidate.Solution.GetDocument(id) is not { } after) continue;
            var oldText = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var newText = await after.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (ChangedSpan(oldText.ToString(), newText.ToString()) is not { } span) continue;
            // Test methods the candidate writes or edits run first too (they exist only in its text).
            var newRoot = await after.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var newSpan = TextSpan.FromBounds(span.Start, span.End + newText.Length - oldText.Length);
            names.AddRange(newRoot?.DescendantNodes(n => n.FullSpan.IntersectsWith(newSpan) || n.FullSpan.Contains(newSpan.Start))
                .OfType<MethodDeclarationSyntax>()
                .Where(m => TestMethods.IsTestMethod(m) && (m.FullSpan.IntersectsWith(newSpan) || m.FullSpan.Contains(newSpan.Start)))
                .Select(TestMethods.Name) ?? []);
            var root = await before.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) continue;
            // Members the candidate adds (Roslyn's "Generate method", a model's new helper) exist only in its solution:
            // the tests that reach them reach them through the code that calls them there.
            var reachingAdded = await TestsReachingAddedMembersAsync(root, newRoot, newSpan, after, candidate.Solution, cancellationToken).ConfigureAwait(false);
            names.AddRange(reachingAdded.Names);
            bounded |= reachingAdded.Bounded;
            var members = root.DescendantNodes(n => n.FullSpan.IntersectsWith(span) || n.FullSpan.Contains(span.Start))
                .OfType<MemberDeclarationSyntax>()
                .Where(m => m is not (BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax) && Touches(m.Span, span))
                .ToList();
            if (members.Count > MaxMembers) bounded = true;
            if (members.Count is 0 or > MaxMembers) continue;
            var model = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null) continue;
            foreach (var member in members)
            {
                var key = (id, member.SpanStart);
                if (!cache.TryGetValue(key, out var tests))
                {
                    tests = await TestsReferencingAsync(baseline, model, member, cancellationToken).ConfigureAwait(false);
                    cache.TryAdd(key, tests);
                }
                names.AddRange(tests.Names);
                bounded |= tests.Bounded;
            }
        }
        return new([.. names.Distinct(StringComparer.Ordinal)], bounded);
    }

    /// <summary>
    /// The span of <paramref name="oldText"/> that differs (the common head, from the start of its last line, and the
    /// common tail removed); null when equal. The same head and tail removed from the new text give its changed span.
    /// </summary>
    internal static TextSpan? ChangedSpan(string oldText, string newText)
    {
        if (string.Equals(oldText, newText, StringComparison.Ordinal)) return null;
        var head = 0;
        var shorter = Math.Min(oldText.Length, newText.Length);
        while (head < shorter && oldText[head] == newText[head]) head++;
        // From the start of that line: lines inserted before a member ("    private …" before "    public …") must not
        // read as an edit inside the member's first token.
        head = head == 0 ? 0 : oldText.LastIndexOf('\n', head - 1) + 1;
        var tail = 0;
        while (tail < shorter - head && oldText[oldText.Length - 1 - tail] == newText[newText.Length - 1 - tail]) tail++;
        return TextSpan.FromBounds(head, oldText.Length - tail);
    }

    /// <summary>An edit inside the member (an insertion strictly inside it, or a replaced span that overlaps it).</summary>
    private static bool Touches(TextSpan member, TextSpan change) =>
        change.IsEmpty ? member.Start < change.Start && change.Start < member.End : member.IntersectsWith(change);

    private static async Task<ReachingTestNames> TestsReachingAddedMembersAsync(
        SyntaxNode oldRoot, SyntaxNode? newRoot, TextSpan newSpan, Document after, Solution candidate, CancellationToken cancellationToken)
    {
        if (newRoot is null) return ReachingTestNames.None;
        var existing = oldRoot.DescendantNodes().OfType<MemberDeclarationSyntax>().Select(Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var added = newRoot.DescendantNodes(n => n.FullSpan.IntersectsWith(newSpan))
            .OfType<MemberDeclarationSyntax>()
            .Where(m => m is not (BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax) && m.Span.IntersectsWith(newSpan))
            .Where(m => Key(m) is { } key && !existing.Contains(key))
            .ToList();
        if (added.Count == 0) return ReachingTestNames.None;
        if (added.Count > MaxMembers) return new([], Bounded: true);
        var model = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return ReachingTestNames.None;
        var names = new List<string>();
        var bounded = false;
        foreach (var member in added)
        {
            if (model.GetDeclaredSymbol(member, cancellationToken) is not { } symbol) continue;
            var reaching = await ReachingTests.NamesAsync(symbol, candidate, MaxTestsPerMember, cancellationToken).ConfigureAwait(false);
            names.AddRange(reaching.Names);
            bounded |= reaching.Bounded;
        }
        return new(names, bounded);

        // A member's identity across the two texts: its type and its name (overloads count as one, which only widens).
        static string? Key(MemberDeclarationSyntax member)
        {
            var type = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText;
            var name = member switch
            {
                MethodDeclarationSyntax m => m.Identifier.ValueText,
                PropertyDeclarationSyntax p => p.Identifier.ValueText,
                ConstructorDeclarationSyntax c => ".ctor" + c.ParameterList.Parameters.Count,
                BaseFieldDeclarationSyntax f => string.Join(',', f.Declaration.Variables.Select(v => v.Identifier.ValueText)),
                EventDeclarationSyntax e => e.Identifier.ValueText,
                IndexerDeclarationSyntax => "this[]",
                _ => null,
            };
            return name is null ? null : type + "." + name;
        }
    }

    private static async Task<ReachingTestNames> TestsReferencingAsync(Solution solution, SemanticModel model, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var bounded = false;
        if (member is MethodDeclarationSyntax self && TestMethods.IsTestMethod(self)) names.Add(TestMethods.Name(self));
        IEnumerable<ISymbol?> symbols = member is BaseFieldDeclarationSyntax field
            ? field.Declaration.Variables.Select(v => model.GetDeclaredSymbol(v, cancellationToken))
            : [model.GetDeclaredSymbol(member, cancellationToken)];
        foreach (var symbol in symbols.OfType<ISymbol>())
        {
            var referencing = await ReachingTests.FindAsync(symbol, solution, MaxTestsPerMember - names.Count, cancellationToken).ConfigureAwait(false);
            names.AddRange(referencing.Tests.Select(r => TestMethods.Name(r.Method)));
            bounded |= referencing.Bounded;
            if (names.Count >= MaxTestsPerMember) return new(names, Bounded: true);
        }
        return new(names, bounded);
    }
}
