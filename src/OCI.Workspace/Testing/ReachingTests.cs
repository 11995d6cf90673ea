using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Testing;

/// <summary>
/// The test methods that <em>reach</em> a member: those that call it directly, or through callers, transitively
/// (walked breadth-first from the member to the members that reference it, over the workspace's <see cref="CallerIndex"/>,
/// or before it is built over the documents that name each level's members: <see cref="NamingDocumentCallers"/>). A private helper
/// is reached by the tests of the public API that calls it; an interface implementation or an override by the callers
/// of the member it implements; a property by its readers; a constructor by the code that creates the object; a field
/// or a test class's constructor / set-up method by every test of that class. These are the tests that judge a change:
/// the ones a run &amp; refine must make pass, the ones run first for every candidate. Bounded (members visited, depth,
/// tests found, time): a member that half the solution reaches yields its nearest tests first, and the whole suite of
/// the confirmation covers the rest.
/// </summary>
public static class ReachingTests
{
    /// <summary>Members whose callers are looked up at most (each a lookup in the <see cref="CallerIndex"/>).</summary>
    public const int MaxMembers = 5000;

    /// <summary>How many callers deep the walk goes.</summary>
    public const int MaxDepth = 8;

    /// <summary>
    /// After this long the walk stops with the tests found so far (the confirmation's whole suite runs every test); the
    /// direct callers and theirs are always walked, however slow the machine, so that the nearest tests never depend on it.
    /// </summary>
    public static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The bound on time of a walk before the caller index is there (the first seconds after opening a repository, when
    /// the user's first fix waits for it; the bound is said in the result).
    /// </summary>
    public static readonly TimeSpan SearchTimeBudget = TimeSpan.FromSeconds(2);

    private static readonly string[] SetUpAttributes = ["SetUp", "OneTimeSetUp", "TestInitialize", "ClassInitialize", "Before", "BeforeEach"];

    /// <summary>
    /// The test methods reaching <paramref name="symbol"/> in <paramref name="solution"/>, each once, the nearest first
    /// (direct callers in file order, then their callers), at most <paramref name="maxTests"/>. A test method itself
    /// is its own first reaching test.
    /// </summary>
    public static async Task<ReachingTestSet> FindAsync(
        ISymbol symbol, Solution solution, int maxTests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(solution);
        // Until the workspace's caller index is built (after load, after a checkout), the walk binds the documents that
        // name each level's members; when the index is finished first, the walk over it answers instead.
        if (await CallerIndex.TryForAsync(solution, cancellationToken).ConfigureAwait(false) is not { } index)
        {
            if (CallerIndex.Building(solution) is not { } building) return await FindBeforeTheIndexAsync(symbol, solution, maxTests, cancellationToken).ConfigureAwait(false);
            using var searching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var search = FindBeforeTheIndexAsync(symbol, solution, maxTests, searching.Token);
            if (await Task.WhenAny(search, building).ConfigureAwait(false) == search) return await search.ConfigureAwait(false);
            if (await CallerIndex.TryForAsync(solution, cancellationToken).ConfigureAwait(false) is not { } built) return await search.ConfigureAwait(false);
            await searching.CancelAsync().ConfigureAwait(false);
            Observe(search);
            index = built;
        }
        using var _ = await index.LockAsync(cancellationToken).ConfigureAwait(false);
        return await WalkAsync(symbol, solution, index, maxTests, TimeBudget, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The search given up for the index ends cancelled: its failure must not go unobserved.</summary>
    private static void Observe(Task search) =>
        search.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// The same walk before the caller index is there: each level binds the documents that name its members
    /// (<see cref="NamingDocumentCallers"/>); its time bound is shorter, since the user's first fix waits for it.
    /// </summary>
    internal static Task<ReachingTestSet> FindBeforeTheIndexAsync(ISymbol symbol, Solution solution, int maxTests, CancellationToken cancellationToken) =>
        WalkAsync(symbol, solution, new NamingDocumentCallers(solution), maxTests, SearchTimeBudget, cancellationToken);

    /// <summary>The breadth-first walk from <paramref name="symbol"/> to the tests, level by level over <paramref name="callers"/>.</summary>
    private static async Task<ReachingTestSet> WalkAsync(
        ISymbol symbol, Solution solution, ICallerSource callers, int maxTests, TimeSpan budget, CancellationToken cancellationToken)
    {
        var tests = new List<TestLocation>();
        var seenTests = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var level = new List<string>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var start in StartingMembers(symbol)) Enqueue(Keys(start), level, visited);
        if (await SelfAsTestAsync(symbol, solution, cancellationToken).ConfigureAwait(false) is var (selfDocument, selfMethod))
        {
            Add(new TestLocation(selfDocument.Id, selfMethod.Span, TestMethods.Name(selfMethod)));
        }

        var bounded = false;
        for (var depth = 0; depth <= MaxDepth && level.Count > 0 && !bounded; depth++)
        {
            if (tests.Count >= maxTests || (depth >= 2 && watch.Elapsed > budget))
            {
                bounded = true;
                break;
            }
            await callers.PrepareAsync(level, cancellationToken).ConfigureAwait(false);
            var next = new List<string>();
            foreach (var key in level)
            {
                if (tests.Count >= maxTests || visited.Count > MaxMembers || (depth >= 2 && watch.Elapsed > budget))
                {
                    bounded = true;
                    break;
                }
                foreach (var reference in callers.CallersOf(key).OrderBy(r => r.FilePath, StringComparer.Ordinal).ThenBy(r => r.Position))
                {
                    // A test, or a test class's set-up (it runs before each of the class's tests).
                    foreach (var test in reference.Caller.Tests) Add(test);
                    Enqueue(reference.Caller.Keys, next, visited);
                }
            }
            level = next;
        }
        // Callers left unvisited below the depth bound may lead to more tests.
        bounded |= level.Count > 0 || tests.Count > maxTests;
        var found = new List<(Document, MethodDeclarationSyntax)>();
        foreach (var test in tests.Take(maxTests))
        {
            if (solution.GetDocument(test.Document) is not { } document) continue;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindNode(test.Span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } method)
            {
                found.Add((document, method));
            }
        }
        return new(found, bounded);

        void Add(TestLocation test)
        {
            if (seenTests.Add(test.Name)) tests.Add(test);
        }
    }

    /// <summary>
    /// Readies, right after the workspace loads, what the first search waits for while the index is not built yet
    /// (<see cref="NamingDocumentCallers.PrepareFirstWalkAsync"/>): a user who opens a repository and asks for a fix at once
    /// waits for the test projects' compilations otherwise.
    /// </summary>
    public static Task PrepareFirstSearchAsync(Solution solution, CancellationToken cancellationToken) =>
        new NamingDocumentCallers(solution).PrepareFirstWalkAsync(cancellationToken);

    /// <summary>Builds (or brings up to date) the index the walk runs on, ahead of the first search.</summary>
    public static Task PrepareAsync(Solution solution, CancellationToken cancellationToken) => CallerIndex.BuildAsync(solution, cancellationToken);

    /// <summary>The names, as runners report them, of <see cref="FindAsync"/>'s tests.</summary>
    public static async Task<ReachingTestNames> NamesAsync(ISymbol symbol, Solution solution, int maxTests, CancellationToken cancellationToken)
    {
        var found = await FindAsync(symbol, solution, maxTests, cancellationToken).ConfigureAwait(false);
        return new([.. found.Tests.Select(t => TestMethods.Name(t.Method)).Distinct(StringComparer.Ordinal)], found.Bounded);
    }

    /// <summary>
    /// True when the runner's <paramref name="resultName"/> is the test <paramref name="testName"/> (a parameterised
    /// case is reported with its arguments: <c>Ns.C.M(1, 2)</c>).
    /// </summary>
    public static bool IsResultOf(string resultName, string testName)
    {
        ArgumentNullException.ThrowIfNull(resultName);
        ArgumentNullException.ThrowIfNull(testName);
        return resultName.StartsWith(testName, StringComparison.Ordinal)
            && (resultName.Length == testName.Length || resultName[testName.Length] is '(' or '<' or ' ');
    }

    /// <summary>
    /// Where a walk starts: the member itself, and for a type each of its members too (a type is reached through its
    /// members as much as through its name: `factory.Create().Run()` never names it).
    /// </summary>
    private static IEnumerable<ISymbol> StartingMembers(ISymbol symbol)
    {
        yield return symbol;
        if (symbol is not INamedTypeSymbol type) yield break;
        foreach (var member in type.GetMembers().Where(m => !m.IsImplicitlyDeclared && m is IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol))
        {
            if (member is not IMethodSymbol { AssociatedSymbol: not null }) yield return member;
        }
    }

    /// <summary>The member's own declaration when it is a test method: its own first reaching test.</summary>
    private static async Task<(Document Document, MethodDeclarationSyntax Method)?> SelfAsTestAsync(ISymbol symbol, Solution solution, CancellationToken cancellationToken)
    {
        foreach (var self in symbol.DeclaringSyntaxReferences)
        {
            if (await self.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is MethodDeclarationSyntax method && TestMethods.IsTestMethod(method)
                && solution.GetDocument(method.SyntaxTree) is { } document)
            {
                return (document, method);
            }
        }
        return null;
    }

    /// <summary>The member and what stands for it to its callers: the members it implements or overrides (callers through an interface or a base class reference those).</summary>
    internal static IEnumerable<ISymbol> Normalize(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } unreduced }) symbol = unreduced;
        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { AssociatedSymbol: { } property }) symbol = property; // an accessor: its property or event
        yield return symbol;
        for (var overridden = Overridden(symbol); overridden is not null; overridden = Overridden(overridden)) yield return overridden.OriginalDefinition;
        if (symbol.ContainingType is { } type)
        {
            foreach (var contract in type.AllInterfaces.SelectMany(i => i.GetMembers()))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(contract)?.OriginalDefinition, symbol)) yield return contract.OriginalDefinition;
            }
        }
    }

    private static ISymbol? Overridden(ISymbol symbol) => symbol switch
    {
        IMethodSymbol m => m.OverriddenMethod,
        IPropertySymbol p => p.OverriddenProperty,
        IEventSymbol e => e.OverriddenEvent,
        _ => null,
    };

    /// <summary>The index keys <paramref name="symbol"/>'s callers are filed under: its own, and those of what it overrides or implements.</summary>
    private static IEnumerable<string> Keys(ISymbol symbol) =>
        Normalize(symbol).Where(s => s.Locations.Any(l => l.IsInSource)).Select(CallerIndex.Key).OfType<string>();

    private static void Enqueue(IEnumerable<string> keys, List<string> level, HashSet<string> visited)
    {
        foreach (var key in keys)
        {
            if (visited.Add(key)) level.Add(key);
        }
    }

    /// <summary>The test class whose set-up <paramref name="member"/> is (constructor, set-up method, field or property initializer); null otherwise.</summary>
    internal static TypeDeclarationSyntax? IsSetUpOfTestClass(MemberDeclarationSyntax member)
    {
        if (member.Parent is not TypeDeclarationSyntax type) return null;
        var setUp = member switch
        {
            ConstructorDeclarationSyntax => true,
            BaseFieldDeclarationSyntax => true,
            PropertyDeclarationSyntax p => p.Initializer is not null,
            MethodDeclarationSyntax m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => SetUpAttributes.Contains(AttributeName(a))),
            _ => false,
        };
        return setUp && type.Members.OfType<MethodDeclarationSyntax>().Any(TestMethods.IsTestMethod) ? type : null;
    }

    private static string AttributeName(AttributeSyntax attribute)
    {
        var name = attribute.Name is QualifiedNameSyntax q ? q.Right.Identifier.ValueText : (attribute.Name as SimpleNameSyntax)?.Identifier.ValueText ?? attribute.Name.ToString();
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
    }
}

/// <summary>
/// The tests <see cref="ReachingTests.FindAsync"/> found. <paramref name="Bounded"/>: the walk stopped at one of its
/// bounds (tests, members, depth, time) with callers left unvisited, so more tests may reach the code than these; a
/// verdict that excuses failures must say so.
/// </summary>
public sealed record ReachingTestSet(IReadOnlyList<(Document Document, MethodDeclarationSyntax Method)> Tests, bool Bounded);

/// <summary>The names of a <see cref="ReachingTestSet"/>'s tests as runners report them, and whether the search was bounded.</summary>
public sealed record ReachingTestNames(IReadOnlyList<string> Names, bool Bounded)
{
    public static ReachingTestNames None { get; } = new([], false);
}
