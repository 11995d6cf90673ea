using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OCI.Workspace.Testing;

/// <summary>
/// Who references each member of a workspace's source: for every member (by <see cref="Key"/>), the members whose code
/// names it, with what <see cref="ReachingTests"/> needs to walk on (is the caller a test, a test class's set-up, and
/// the keys callers of the caller are filed under). Built once per workspace by binding every name in every C# document,
/// then kept current document by document: a query rebinds only the documents whose text differs from what was indexed
/// (a keystroke: one document). That makes a reach walk a walk over a map, where one Roslyn reference search per member
/// visited cost seconds per keystroke on a real repository.
/// </summary>
/// <remarks>
/// A document whose text did not change keeps its references even when another document's change would bind them
/// differently (a rename elsewhere): the walk may then list a test too many or miss one until that document changes.
/// The whole-suite confirmation after every offer covers that, as it covers the walk's bounds.
/// </remarks>
internal sealed class CallerIndex : ICallerSource
{
    private static readonly ConditionalWeakTable<Microsoft.CodeAnalysis.Workspace, CallerIndex> ByWorkspace = new();

    /// <summary>More changed documents than this are not rebound inside a search: the index is rebuilt in the background.</summary>
    private const int MaxDocumentsRebound = 20;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<DocumentId, IndexedDocument> _documents = [];
    private readonly Dictionary<string, List<CallerReference>> _callers = new(StringComparer.Ordinal);
    private readonly object _buildingLock = new();
    private Task? _building;

    /// <summary>
    /// The index of <paramref name="solution"/>'s workspace (its forks share it), brought up to date with that solution;
    /// null while it is being built (the first time, or after many documents changed at once: a checkout), so that no
    /// search waits seconds for it; the build then runs in the background and <paramref name="solution"/> starts it.
    /// </summary>
    public static async Task<CallerIndex?> TryForAsync(Solution solution, CancellationToken cancellationToken)
    {
        var index = ByWorkspace.GetValue(solution.Workspace, _ => new());
        return await index.TryUpdateAsync(solution, cancellationToken).ConfigureAwait(false) ? index : null;
    }

    /// <summary>Builds the index of <paramref name="solution"/>'s workspace (or brings it up to date) and waits for it.</summary>
    public static async Task BuildAsync(Solution solution, CancellationToken cancellationToken)
    {
        var index = ByWorkspace.GetValue(solution.Workspace, _ => new());
        if (!await index.TryUpdateAsync(solution, cancellationToken).ConfigureAwait(false))
        {
            await index.BuildInBackground(solution).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The build of <paramref name="solution"/>'s workspace's index while one runs; null when none does.</summary>
    public static Task? Building(Solution solution)
    {
        if (!ByWorkspace.TryGetValue(solution.Workspace, out var index)) return null;
        lock (index._buildingLock) return index._building is { IsCompleted: false } running ? running : null;
    }

    /// <summary>The members referencing <paramref name="key"/>, in file order; empty when none does.</summary>
    public IReadOnlyList<CallerReference> CallersOf(string key) => _callers.TryGetValue(key, out var callers) ? callers : [];

    /// <summary>The index is complete: nothing to prepare.</summary>
    public Task PrepareAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The name <see cref="NamingDocumentCallers"/> gives a target-typed <c>new(…)</c> and a constructor initializer: a constructor's callers may write no type name.</summary>
    public const string ImplicitNew = "new()";

    /// <summary>
    /// The names code writes to reference the member filed under <paramref name="key"/> (a constructor: its type's name
    /// and <see cref="ImplicitNew"/>; an attribute type also without its suffix); null when it is referenced without a
    /// name (an indexer: any element access may).
    /// </summary>
    public static IReadOnlyList<string>? NamesOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var id = key[(key.IndexOf('|', StringComparison.Ordinal) + 1)..];
        if (id.Length < 3 || id[1] != ':') return null;
        var kind = id[0];
        var path = id[2..];
        var parameters = path.IndexOf('(', StringComparison.Ordinal);
        if (parameters >= 0)
        {
            if (kind == 'P') return null; // an indexer
            path = path[..parameters];
        }
        var lastDot = path.LastIndexOf('.');
        var written = path[(lastDot + 1)..];
        if (kind == 'M' && written == "#ctor")
        {
            var type = lastDot < 0 ? "" : path[..lastDot];
            return WithoutAttributeSuffix(Simple(type[(type.LastIndexOf('.') + 1)..]), ImplicitNew);
        }
        if (kind == 'M' && written == "#cctor") return [];
        var name = Simple(written);
        return kind == 'T' ? WithoutAttributeSuffix(name) : [name];

        // Type parameters (`1, ``1) and an explicit implementation's interface prefix (N#IFoo#Bar) are not written at a call.
        static string Simple(string segment)
        {
            var tick = segment.IndexOf('`', StringComparison.Ordinal);
            if (tick >= 0) segment = segment[..tick];
            return segment[(segment.LastIndexOf('#') + 1)..];
        }

        static IReadOnlyList<string> WithoutAttributeSuffix(string typeName, params string[] more) =>
            typeName.EndsWith("Attribute", StringComparison.Ordinal) && typeName.Length > "Attribute".Length
                ? [typeName, typeName[..^"Attribute".Length], .. more]
                : [typeName, .. more];
    }

    /// <summary>Lets one query walk the index while no update runs: dispose to release.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_lock);
    }

    /// <summary>
    /// The identity a member (or a type: code that names a type is reached through it, as Roslyn's reference search
    /// finds it) is filed under across solutions and rebuilt compilations: its assembly and documentation comment id (an
    /// accessor stands for its property or event; a generic instance for its definition; an extension method called as
/// one for the method).
    /// </summary>
    public static string? Key(ISymbol symbol)
    {
        // An extension method called as one (x.M()) binds to its reduced form, whose id lacks the this parameter.
        if (symbol is IMethodSymbol { ReducedFrom: { } unreduced }) symbol = unreduced;
        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { AssociatedSymbol: { } associated }) symbol = associated;
        if (symbol is not (IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol or INamedTypeSymbol)) return null;
        var id = symbol.GetDocumentationCommentId();
        return id is null ? null : (symbol.ContainingAssembly?.Name ?? "") + "|" + id;
    }

    /// <summary>Rebinds the few documents whose text differs from <paramref name="solution"/>'s; false when the index is not there to update.</summary>
    private async Task<bool> TryUpdateAsync(Solution solution, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_documents.Count == 0)
            {
                _ = BuildInBackground(solution);
                return false;
            }
            var changed = new List<(Document Document, VersionStamp Version)>();
            var present = new HashSet<DocumentId>();
            foreach (var document in solution.Projects.Where(p => p.Language == LanguageNames.CSharp).SelectMany(p => p.Documents))
            {
                present.Add(document.Id);
                var version = await document.GetTextVersionAsync(cancellationToken).ConfigureAwait(false);
                if (!_documents.TryGetValue(document.Id, out var indexed) || indexed.Version != version) changed.Add((document, version));
            }
            if (changed.Count > MaxDocumentsRebound)
            {
                _ = BuildInBackground(solution);
                return false;
            }
            foreach (var (document, version) in changed)
            {
                Add(document.Id, new IndexedDocument(version, await BindAsync(document, null, cancellationToken).ConfigureAwait(false)));
            }
            foreach (var gone in _documents.Keys.Where(id => !present.Contains(id)).ToList()) Remove(gone);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Binds every document of <paramref name="solution"/> apart from the index, then puts the result in its place; one build at a time.</summary>
    private Task BuildInBackground(Solution solution)
    {
        lock (_buildingLock)
        {
            if (_building is { IsCompleted: false } running) return running;
            return _building = Task.Run(async () =>
            {
                // Every core: until the index is there, each search walks with Roslyn's reference search (seconds), and
                // the documents bind independently against the shared compilations. The walk orders callers itself.
                var built = new System.Collections.Concurrent.ConcurrentDictionary<DocumentId, IndexedDocument>();
                var documents = solution.Projects.Where(p => p.Language == LanguageNames.CSharp).SelectMany(p => p.Documents).ToList();
                await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (document, token) =>
                {
                    var version = await document.GetTextVersionAsync(token).ConfigureAwait(false);
                    built[document.Id] = new IndexedDocument(version, await BindAsync(document, null, token).ConfigureAwait(false));
                }).ConfigureAwait(false);
                await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    foreach (var id in _documents.Keys.ToList()) Remove(id);
                    foreach (var (id, indexed) in built) Add(id, indexed);
                }
                finally
                {
                    _lock.Release();
                }
                NamingDocumentCallers.Forget(solution.Workspace);
            });
        }
    }

    private void Add(DocumentId id, IndexedDocument indexed)
    {
        Remove(id);
        _documents[id] = indexed;
        foreach (var (key, caller) in indexed.References)
        {
            if (!_callers.TryGetValue(key, out var list)) _callers[key] = list = [];
            list.Add(caller);
        }
    }

    private void Remove(DocumentId id)
    {
        if (!_documents.Remove(id, out var indexed)) return;
        foreach (var key in indexed.References.Select(r => r.Key).Distinct(StringComparer.Ordinal))
        {
            if (_callers.TryGetValue(key, out var list))
            {
                list.RemoveAll(c => c.Document == id);
                if (list.Count == 0) _callers.Remove(key);
            }
        }
    }

    /// <summary>
    /// Every reference from a member of <paramref name="document"/> to a member declared in source, in text order; only
    /// at the nodes <paramref name="only"/> accepts when given (a walk before the index binds only the names it looks for).
    /// </summary>
    internal static async Task<IReadOnlyList<(string Key, CallerReference Caller)>> BindAsync(Document document, Func<SyntaxNode, bool>? only, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return [];
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return [];
        var references = new List<(string, CallerReference)>();
        var callers = new Dictionary<MemberDeclarationSyntax, Caller?>();
        foreach (var node in root.DescendantNodes())
        {
            if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax or ConstructorInitializerSyntax or ElementAccessExpressionSyntax)) continue;
            if (node is SimpleNameSyntax && node.Parent is QualifiedNameSyntax or UsingDirectiveSyntax or BaseNamespaceDeclarationSyntax) continue;
            if (only is not null && !only(node)) continue;
            var info = model.GetSymbolInfo(node, cancellationToken);
            if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not { } referenced) continue;
            if (!referenced.Locations.Any(l => l.IsInSource) || Key(referenced) is not { } key) continue;
            var member = node.Ancestors().OfType<MemberDeclarationSyntax>()
                .FirstOrDefault(m => m is not (BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or DelegateDeclarationSyntax));
            if (member is null) continue;
            if (!callers.TryGetValue(member, out var caller)) callers[member] = caller = Describe(document, model, member, cancellationToken);
            if (caller is not null) references.Add((key, new CallerReference(document.Id, document.FilePath ?? document.Name, node.SpanStart, caller)));
        }
        return references;
    }

    /// <summary>What the walk needs of a referencing member: a test, a test class's set-up, or a member whose own callers come next.</summary>
    private static Caller? Describe(Document document, SemanticModel model, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        if (member is MethodDeclarationSyntax test && TestMethods.IsTestMethod(test))
        {
            return new Caller([new TestLocation(document.Id, test.Span, TestMethods.Name(test))], []);
        }
        if (ReachingTests.IsSetUpOfTestClass(member) is { } testClass)
        {
            return new Caller([.. testClass.Members.OfType<MethodDeclarationSyntax>().Where(TestMethods.IsTestMethod)
                .Select(t => new TestLocation(document.Id, t.Span, TestMethods.Name(t)))], []);
        }
        IEnumerable<ISymbol?> symbols = member is BaseFieldDeclarationSyntax field
            ? field.Declaration.Variables.Select(v => model.GetDeclaredSymbol(v, cancellationToken))
            : [model.GetDeclaredSymbol(member, cancellationToken)];
        var keys = symbols.OfType<ISymbol>()
            .SelectMany(ReachingTests.Normalize)
            .Where(s => s.Locations.Any(l => l.IsInSource))
            .Select(Key).OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return keys.Count == 0 ? null : new Caller([], keys);
    }

    private sealed record IndexedDocument(VersionStamp Version, IReadOnlyList<(string Key, CallerReference Caller)> References);

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}

/// <summary>One reference to a member: where it is (for the nearest-first order) and the member it sits in.</summary>
internal sealed record CallerReference(DocumentId Document, string FilePath, int Position, Caller Caller);

/// <summary>
/// A referencing member: the tests it stands for (itself when it is a test; every test of its class when it is the
/// class's set-up), or else the keys its own callers are filed under (itself, what it overrides or implements).
/// </summary>
internal sealed record Caller(IReadOnlyList<TestLocation> Tests, IReadOnlyList<string> Keys);

/// <summary>A test method: its document, its span there when indexed, and its name as runners report it.</summary>
internal sealed record TestLocation(DocumentId Document, Microsoft.CodeAnalysis.Text.TextSpan Span, string Name);
