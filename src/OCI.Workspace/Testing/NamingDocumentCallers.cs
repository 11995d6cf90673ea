using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Workspace.Testing;

/// <summary>
/// Where a reach walk finds callers before the workspace's <see cref="CallerIndex"/> is built (the first seconds after
/// opening a repository, when the user's first fix waits for the walk): for each level of the walk, only the documents
/// whose text names one of the level's members are read, and in them only the names the level looks for are bound
/// (<see cref="CallerIndex.BindAsync"/>, by the index's own rules), never a name twice. A member can be referenced only
/// where its name is written; the ways code refers to one without it are kept: a constructor through a target-typed
/// <c>new(…)</c> or a constructor initializer, a type through a global using alias, an indexer (any element access).
/// A member whose name can be written to refer to it only in a few places (<see cref="Confinement"/>: a private member,
/// a static member of a type nothing derives from) is looked for only in the documents that write its name there.
/// </summary>
/// <remarks>
/// One Roslyn reference search of a member with an error type in its signature (its file is broken: the user's fix is
/// the one waiting) took 5 s on a real repository; the documents that name it bind in a tenth of a second. Binding
/// every name of the documents that name a level's members instead took 8 s where the names are common words.
/// </remarks>
internal sealed partial class NamingDocumentCallers(Solution solution) : ICallerSource
{
    private static readonly ConditionalWeakTable<SourceText, DocumentNames> NamesByText = new();

    // What walks bound so far, per workspace and document text version: a later walk (the candidate's own, on a fork that
    // changed one document) binds only what is new. Dropped once the caller index is built (Forget).
    private static readonly ConditionalWeakTable<Microsoft.CodeAnalysis.Workspace, Store> Stores = new();

    private readonly Store _store = Stores.GetValue(solution.Workspace, _ => new());
    private Dictionary<string, List<CallerReference>> _callers = new(StringComparer.Ordinal);
    private List<(Document Document, DocumentNames Words)>? _documents;
    private Dictionary<string, List<string>>? _globalAliases;
    private HashSet<string>? _globalStatics;
    private HashSet<ProjectId>? _testReachable;
    private int _bound;

    /// <summary>Documents this walk bound, at least in part (tests check that a walk binds only those naming its members).</summary>
    public int BoundDocuments => _bound;

    public IReadOnlyList<CallerReference> CallersOf(string key) => _callers.TryGetValue(key, out var callers) ? callers : [];

    /// <summary>The caller index of <paramref name="workspace"/> is built: what walks bound before it is not needed any more.</summary>
    public static void Forget(Microsoft.CodeAnalysis.Workspace workspace) => Stores.Remove(workspace);

    /// <summary>Binds, in every document that names one of <paramref name="keys"/>' members, the names not bound there yet.</summary>
    public async Task PrepareAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (_documents is null) await ReadAsync(cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var indexer = false;
        foreach (var key in keys)
        {
            if (CallerIndex.NamesOf(key) is not { } keyNames)
            {
                indexer = true;
                continue;
            }
            foreach (var name in keyNames)
            {
                names.Add(name);
                if (_globalAliases!.TryGetValue(name, out var aliases)) names.UnionWith(aliases);
            }
        }
        var projects = ProjectsThatMayReference(keys);
        var confined = await ConfinementsAsync(keys, cancellationToken).ConfigureAwait(false);
        await _store.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var work = new List<(Document Document, Bound Entry, HashSet<string> Names, bool Indexer)>();
            var entries = new List<Bound>(_documents!.Count);
            foreach (var (document, words) in _documents!)
            {
                if (projects is not null && !projects.Contains(document.Project.Id)) continue;
                var version = await document.GetTextVersionAsync(cancellationToken).ConfigureAwait(false);
                if (!_store.Documents.TryGetValue(document.Id, out var entry) || entry.Version != version) _store.Documents[document.Id] = entry = new Bound(version);
                entries.Add(entry);
                var fresh = names.Where(n => !entry.Names.Contains(n) && words.Identifiers.Contains(n)).ToHashSet(StringComparer.Ordinal);
                foreach (var name in fresh.Where(confined.ContainsKey).ToList())
                {
                    // Not recorded as bound here: a later level whose member of this name is not confined binds it.
                    if (!await WritesAsync(document, words, name, confined[name], cancellationToken).ConfigureAwait(false)) fresh.Remove(name);
                }
                var freshIndexer = indexer && !entry.Indexer && words.HasElementAccess;
                if (fresh.Count > 0 || freshIndexer) work.Add((document, entry, fresh, freshIndexer));
            }
            if (work.Count > 0)
            {
                // A project's first binding waits for its compilation (its references read): started for every project at
                // once, one project's wait overlaps another's binding rather than leaving a core idle.
                foreach (var project in work.Select(w => w.Document.Project).DistinctBy(p => p.Id).Skip(1))
                {
                    _ = Task.Run(() => PrepareCompilationAsync(project, cancellationToken), cancellationToken);
                }
                await Parallel.ForEachAsync(
                    work,
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                    async (item, token) =>
                    {
                        var references = await CallerIndex.BindAsync(item.Document, node => Looks(node, item.Names, item.Indexer), token).ConfigureAwait(false);
                        // Recorded only once bound: a walk cancelled midway leaves the rest to the next one.
                        lock (item.Entry)
                        {
                            item.Entry.References.AddRange(references);
                            item.Entry.Names.UnionWith(item.Names);
                            item.Entry.Indexer |= item.Indexer;
                        }
                        Interlocked.Increment(ref _bound);
                    }).ConfigureAwait(false);
            }
            var callers = new Dictionary<string, List<CallerReference>>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                foreach (var (key, caller) in entry.References)
                {
                    if (!callers.TryGetValue(key, out var list)) callers[key] = list = [];
                    list.Add(caller);
                }
            }
            _callers = callers;
        }
        finally
        {
            _store.Lock.Release();
        }
    }

    /// <summary>
    /// The names every member of which (among <paramref name="keys"/>) is confined, and where: a name one of the keys'
    /// members may be written anywhere under is not in the result.
    /// </summary>
    private async Task<Dictionary<string, List<Confinement>>> ConfinementsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var confined = new Dictionary<string, List<Confinement>>(StringComparer.Ordinal);
        var anywhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (CallerIndex.NamesOf(key) is not { } keyNames) continue;
            var confinement = await ConfinementOfAsync(key, cancellationToken).ConfigureAwait(false);
            foreach (var name in keyNames)
            {
                if (confinement is null || (confinement.QualifiedByType && _globalStatics!.Contains(confinement.Type)))
                {
                    anywhere.Add(name);
                    continue;
                }
                if (!confined.TryGetValue(name, out var list)) confined[name] = list = [];
                list.Add(confinement);
            }
        }
        foreach (var name in anywhere) confined.Remove(name);
        return confined;
    }

    /// <summary>Where the member filed under <paramref name="key"/> may be referenced by its name; null: anywhere (or not known).</summary>
    private async Task<Confinement?> ConfinementOfAsync(string key, CancellationToken cancellationToken)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0) return null;
        var assembly = key[..bar];
        var id = key[(bar + 1)..];
        if (id.Length < 3 || id[1] != ':' || id[0] is not ('M' or 'P' or 'F' or 'E')) return null;
        // The declaring project's compilation: the level binds in it anyway (its own documents may call the member).
        var project = solution.Projects.FirstOrDefault(p => p.Language == LanguageNames.CSharp && string.Equals(p.AssemblyName, assembly, StringComparison.Ordinal));
        if (project is null || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation) return null;
        var symbols = DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation);
        if (symbols.IsDefaultOrEmpty) return null;
        Confinement? confinement = null;
        foreach (var symbol in symbols)
        {
            if (Confinement.Of(symbol) is not { } one || (confinement is not null && confinement != one)) return null;
            confinement = one;
        }
        return confinement;
    }

    /// <summary>Whether <paramref name="document"/> writes <paramref name="name"/> where one of <paramref name="confinements"/> lets it refer to such a member.</summary>
    private async Task<bool> WritesAsync(Document document, DocumentNames words, string name, List<Confinement> confinements, CancellationToken cancellationToken)
    {
        SyntaxNode? root = null;
        foreach (var confinement in confinements)
        {
            var qualifiers = new HashSet<string>(StringComparer.Ordinal) { confinement.Type };
            if (confinement.QualifiedByType && _globalAliases!.TryGetValue(confinement.Type, out var aliases)) qualifiers.UnionWith(aliases);
            // Inside the type its name is written (its declaration); anywhere else, its name or an alias of it is. Not in
            // top-level statements, which are in Program.
            if (!qualifiers.Any(words.Identifiers.Contains) && confinement.Type != "Program") continue;
            root ??= await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || confinement.IsWritten(root, name, qualifiers)) return true;
        }
        return false;
    }

    /// <summary>
    /// Readies what the first walk waits for, before it is asked for: every document's words, and the compilations of
    /// the test projects and of the projects they depend on (a test project's first, which the first walk binds in),
    /// one at a time: the other core serves the editor.
    /// </summary>
    public async Task PrepareFirstWalkAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (_testReachable is null) return;
        foreach (var project in solution.Projects.Where(p => _testReachable.Contains(p.Id)).OrderBy(p => TestProjectDiscovery.IsTestProject(p) ? 0 : 1))
        {
            await PrepareCompilationAsync(project, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A project's compilation with its references' symbols (what a first semantic model waits for); failures are the binding's to report.</summary>
    private static async Task PrepareCompilationAsync(Project project, CancellationToken cancellationToken)
    {
        try
        {
            if (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is { } compilation)
            {
                _ = compilation.GetSpecialType(SpecialType.System_Object);
                _ = compilation.SourceModule.GlobalNamespace.GetMembers();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            // Cancelled with the walk, or a project that does not compile: its documents' binding says so.
        }
    }

    /// <summary>
    /// The projects whose documents may hold a caller that leads to a test: those that can reference the keys' members
    /// (their own projects and the projects that depend on those) and that a test project is, or depends on. A sample
    /// application that no test references is never read: a reference found there leads to no test. Null: every project
    /// (a key whose assembly is no project of the solution; a solution without test projects).
    /// </summary>
    private HashSet<ProjectId>? ProjectsThatMayReference(IReadOnlyCollection<string> keys)
    {
        if (_testReachable is null) return null;
        var graph = solution.GetProjectDependencyGraph();
        var projects = new HashSet<ProjectId>();
        foreach (var assembly in keys.Select(k => k[..Math.Max(0, k.IndexOf('|', StringComparison.Ordinal))]).Distinct(StringComparer.Ordinal))
        {
            var declaring = solution.Projects.Where(p => string.Equals(p.AssemblyName, assembly, StringComparison.Ordinal)).Select(p => p.Id).ToList();
            if (declaring.Count == 0) return null;
            foreach (var id in declaring)
            {
                projects.Add(id);
                projects.UnionWith(graph.GetProjectsThatTransitivelyDependOnThisProject(id));
            }
        }
        projects.IntersectWith(_testReachable);
        return projects;
    }

    /// <summary>Test projects and every project they depend on; null when the solution has no test project.</summary>
    private HashSet<ProjectId>? TestReachableProjects()
    {
        var graph = solution.GetProjectDependencyGraph();
        var reachable = new HashSet<ProjectId>();
        foreach (var project in solution.Projects.Where(TestProjectDiscovery.IsTestProject))
        {
            reachable.Add(project.Id);
            reachable.UnionWith(graph.GetProjectsThatThisProjectTransitivelyDependsOn(project.Id));
        }
        return reachable.Count == 0 ? null : reachable;
    }

    /// <summary>Whether the walk binds <paramref name="node"/> for these names: a name written, a creation of a type named, or one that names none.</summary>
    private static bool Looks(SyntaxNode node, HashSet<string> names, bool indexer) => node switch
    {
        SimpleNameSyntax name => names.Contains(name.Identifier.ValueText),
        ObjectCreationExpressionSyntax creation => names.Contains(RightmostName(creation.Type)),
        ImplicitObjectCreationExpressionSyntax or ConstructorInitializerSyntax => names.Contains(CallerIndex.ImplicitNew),
        ElementAccessExpressionSyntax => indexer,
        _ => false,
    };

    private static string RightmostName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => "",
    };

    /// <summary>The names written in each C# document of the solution, and the global aliases they declare.</summary>
    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var all = solution.Projects.Where(p => p.Language == LanguageNames.CSharp).SelectMany(p => p.Documents).ToList();
        // Every document's text (most not read from disk yet on a cold open) and its words, on every core.
        var read = new DocumentNames[all.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, all.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) => read[i] = NamesByText.GetValue(await all[i].GetTextAsync(token).ConfigureAwait(false), DocumentNames.Read)).ConfigureAwait(false);
        var documents = new List<(Document, DocumentNames)>(all.Count);
        var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var statics = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            var words = read[i];
            documents.Add((all[i], words));
            foreach (var (alias, target) in words.GlobalAliases)
            {
                if (!aliases.TryGetValue(target, out var list)) aliases[target] = list = [];
                list.Add(alias);
            }
            statics.UnionWith(words.GlobalStatics);
        }
        _documents = documents;
        _globalAliases = aliases;
        _globalStatics = statics;
        _testReachable = TestReachableProjects();
    }

    /// <summary>One workspace's bindings: one walk binds at a time, the others then take what it bound.</summary>
    private sealed class Store
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public Dictionary<DocumentId, Bound> Documents { get; } = [];
    }

    /// <summary>A document at one text version: the names bound in it (and whether its element accesses were) and the references found.</summary>
    private sealed class Bound(VersionStamp version)
    {
        public VersionStamp Version { get; } = version;

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public bool Indexer { get; set; }

        public List<(string Key, CallerReference Caller)> References { get; } = [];
    }

    /// <summary>
    /// Every identifier-like word of a document's text (comments and strings included: more documents read, never
    /// fewer), <see cref="CallerIndex.ImplicitNew"/> where <c>new(</c>, <c>base(</c> or <c>this(</c> is written, whether
    /// it writes a <c>[</c> at all (an element access may), its global using aliases (alias → the last name of what it
    /// stands for) and the last names of the types its global using static directives import.
    /// </summary>
    private sealed partial class DocumentNames(
        HashSet<string> identifiers, bool hasElementAccess, IReadOnlyList<(string Alias, string Target)> globalAliases, IReadOnlyList<string> globalStatics)
    {
        public HashSet<string> Identifiers { get; } = identifiers;

        public bool HasElementAccess { get; } = hasElementAccess;

        public IReadOnlyList<(string Alias, string Target)> GlobalAliases { get; } = globalAliases;

        public IReadOnlyList<string> GlobalStatics { get; } = globalStatics;

        public static DocumentNames Read(SourceText text)
        {
            var content = text.ToString();
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            // Looked up by span: a word is allocated once per document, not once per occurrence.
            var lookup = identifiers.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i < content.Length;)
            {
                if (!IsIdentifierPart(content[i]))
                {
                    i++;
                    continue;
                }
                var start = i;
                while (i < content.Length && IsIdentifierPart(content[i])) i++;
                var word = content.AsSpan(start, i - start);
                lookup.Add(word);
                var next = i;
                while (next < content.Length && char.IsWhiteSpace(content[next])) next++;
                if (next < content.Length && content[next] == '(' && word is "new" or "base" or "this") identifiers.Add(CallerIndex.ImplicitNew);
            }
            List<(string, string)> aliases = [];
            List<string> statics = [];
            if (content.Contains("global", StringComparison.Ordinal))
            {
                foreach (Match match in GlobalStatic().Matches(content))
                {
                    var target = match.Groups["target"].Value;
                    statics.Add(target[(target.LastIndexOf('.') + 1)..]);
                }
                foreach (Match match in GlobalAlias().Matches(content))
                {
                    var target = match.Groups["target"].Value;
                    var generic = target.IndexOf('<', StringComparison.Ordinal);
                    if (generic >= 0) target = target[..generic];
                    aliases.Add((match.Groups["alias"].Value, target.Trim()[(target.Trim().LastIndexOf('.') + 1)..]));
                }
            }
            return new(identifiers, content.Contains('[', StringComparison.Ordinal), aliases, statics);
        }

        private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

        [GeneratedRegex(@"global\s+using\s+@?(?<alias>\w+)\s*=\s*(?:global::)?(?<target>[\w.]+(?:<[^;]*>)?)\s*;")]
        private static partial Regex GlobalAlias();

        [GeneratedRegex(@"global\s+using\s+static\s+(?:global::)?(?<target>[\w.]+)")]
        private static partial Regex GlobalStatic();
    }
}

/// <summary>What a reach walk looks callers up in: the whole <see cref="CallerIndex"/>, or the documents naming the members (<see cref="NamingDocumentCallers"/>).</summary>
internal interface ICallerSource
{
    /// <summary>Makes <see cref="CallersOf"/> complete for <paramref name="keys"/> (the next level of a walk).</summary>
    Task PrepareAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>The members referencing <paramref name="key"/>; empty when none does.</summary>
    IReadOnlyList<CallerReference> CallersOf(string key);
}
