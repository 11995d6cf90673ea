using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace OCI.Workspace.CodeFixes;

/// <summary>
/// The fixes for a name that does not bind which the compilation itself answers in milliseconds, before Roslyn's code
/// fix providers can: a <c>using</c> of a namespace the project already imports in another file that holds the type
/// (or the extension method) by that exact name, and the one name in scope spelt closest to a misspelt one.
/// Why: Roslyn's "add using" and spelling providers first index every referenced assembly (about 180 in a .NET 10
/// project), seconds on two cores after a solution loads, and the fix the user asks for right after opening waits for
/// them. These are fixes those providers offer too, with the same text; they list before them at most the declarations
/// they would generate for the name ("Generate field 'cuont'" compiles as well, and is not what a typo means). They are
/// offered only when unambiguous (one namespace, one closest name) and verified like any other candidate, so a wrong
/// guess costs a check, never a verdict.
/// The edit is the one Roslyn would make: the using line among the file's usings in their order (System first), or the
/// name token replaced; the file's line breaks and indentation are kept.
/// </summary>
public static class NameLookupFixes
{
    private static readonly HashSet<string> s_unboundName = new(StringComparer.Ordinal) { "CS0103", "CS0246", "CS1061", "CS0117" };

    /// <summary>True for the diagnostics these fixes answer (a name that does not bind).</summary>
    public static bool Answers(string diagnosticId) => s_unboundName.Contains(diagnosticId);

    /// <summary>
    /// The fixes for the diagnostic <paramref name="diagnosticId"/> in <paramref name="span"/> of
    /// <paramref name="document"/>: the project's import first, then the spelling; empty when neither is unambiguous.
    /// </summary>
    public static async Task<IReadOnlyList<RoslynFix>> GetFixesAsync(Document document, TextSpan span, string diagnosticId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!Answers(diagnosticId) || document.FilePath is null) return [];
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return [];
        var diagnostic = (await OCI.Workspace.Compilation.TreeDiagnostics.OfAsync(model, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Id == diagnosticId && d.Location.IsInSource)
            .Where(d => d.Location.SourceSpan.IntersectsWith(span) || d.Location.SourceSpan.Contains(span.Start) || span.Contains(d.Location.SourceSpan))
            .OrderBy(d => d.Location.SourceSpan.Length)
            .FirstOrDefault();
        if (diagnostic is null) return [];
        var root = await model.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not SimpleNameSyntax name) return [];
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);

        var fixes = new List<RoslynFix>();
        // A name in a using directive is a namespace: no using adds it, its spelling may.
        var inUsing = name.Ancestors().Any(a => a is UsingDirectiveSyntax);
        if (!inUsing && ProjectImport(model, (CompilationUnitSyntax)root, name, diagnosticId, cancellationToken) is { } import
            && AddUsing(text, (CompilationUnitSyntax)root, import) is { } withUsing)
        {
            fixes.Add(new RoslynFix($"using {import};", diagnosticId, [new FileChange(document.FilePath, withUsing)], 1));
        }
        if (ClosestName(model, name, diagnosticId, cancellationToken) is { } closest)
        {
            var renamed = text.Replace(name.Identifier.Span, closest).ToString();
            fixes.Add(new RoslynFix($"Change '{name.Identifier.ValueText}' to '{closest}'.", diagnosticId, [new FileChange(document.FilePath, renamed)], 1));
        }
        return fixes;
    }

    /// <summary>
    /// The one namespace, imported by some other file of the project and not by this one, that holds an accessible type
    /// named <paramref name="name"/> (with its arity), or for a member access an extension method by that name that
    /// applies to the receiver; null when none or several do.
    /// </summary>
    private static string? ProjectImport(SemanticModel model, CompilationUnitSyntax root, SimpleNameSyntax name, string diagnosticId, CancellationToken cancellationToken)
    {
        var compilation = model.Compilation;
        var imported = ImportsOf(root).ToHashSet(StringComparer.Ordinal);
        var enclosing = model.GetEnclosingSymbol(name.SpanStart, cancellationToken)?.ContainingNamespace;
        for (var ns = enclosing; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace) imported.Add(ns.ToDisplayString());

        var memberAccess = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : null;
        var receiverType = diagnosticId == "CS1061" && memberAccess is not null ? model.GetTypeInfo(memberAccess.Expression, cancellationToken).Type : null;
        if (diagnosticId == "CS1061" && receiverType is null) return null;

        string? found = null;
        foreach (var candidate in compilation.SyntaxTrees.Where(t => t != model.SyntaxTree).SelectMany(t => ImportsOf((CompilationUnitSyntax)t.GetRoot(cancellationToken))).Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (imported.Contains(candidate)) continue;
            var holds = receiverType is not null
                ? HoldsExtension(compilation, candidate, name.Identifier.ValueText, receiverType)
                : diagnosticId != "CS1061" && HoldsType(compilation, candidate, name);
            if (!holds) continue;
            if (found is not null) return null; // two namespaces: Roslyn's providers choose, or the user
            found = candidate;
        }
        return found;
    }

    /// <summary>The plain namespaces a file imports (no aliases, no <c>using static</c>), at its top and in its namespaces.</summary>
    private static IEnumerable<string> ImportsOf(CompilationUnitSyntax root)
    {
        IEnumerable<UsingDirectiveSyntax> usings = root.Usings;
        foreach (var member in root.Members)
        {
            if (member is BaseNamespaceDeclarationSyntax ns) usings = usings.Concat(ns.Usings);
        }
        return usings.Where(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name is not null).Select(u => u.Name!.ToString());
    }

    private static bool HoldsType(Microsoft.CodeAnalysis.Compilation compilation, string ns, SimpleNameSyntax name)
    {
        var arity = name is GenericNameSyntax generic ? generic.Arity : 0;
        var metadataName = ns + "." + name.Identifier.ValueText + (arity > 0 ? "`" + arity : "");
        return compilation.GetTypeByMetadataName(metadataName) is { } type && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);
    }

    private static bool HoldsExtension(Microsoft.CodeAnalysis.Compilation compilation, string ns, string methodName, ITypeSymbol receiverType)
    {
        var namespaceSymbol = compilation.GlobalNamespace;
        foreach (var part in ns.Split('.'))
        {
            namespaceSymbol = namespaceSymbol.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            if (namespaceSymbol is null) return false;
        }
        return namespaceSymbol.GetTypeMembers()
            // By the names first: a type's member symbols are created only where one has the name.
            .Where(t => t.IsStatic && t.MightContainExtensionMethods && t.MemberNames.Contains(methodName) && compilation.IsSymbolAccessibleWithin(t, compilation.Assembly))
            .SelectMany(t => t.GetMembers(methodName).OfType<IMethodSymbol>())
            .Any(m => m.IsExtensionMethod && compilation.IsSymbolAccessibleWithin(m, compilation.Assembly) && m.ReduceExtensionMethod(receiverType) is not null);
    }

    /// <summary>
    /// The text with <c>using <paramref name="ns"/>;</c> among the file's plain usings, where their order puts it (System
    /// first, then by name), in the indentation and line break of its neighbour; null for a file with no using to stand
    /// beside (Roslyn's provider places that one).
    /// </summary>
    private static string? AddUsing(SourceText text, CompilationUnitSyntax root, string ns)
    {
        var list = root.Usings.Count > 0
            ? root.Usings
            : root.Members.OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Usings).FirstOrDefault(u => u.Count > 0);
        var plain = list.Where(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.GlobalKeyword.IsKind(SyntaxKind.None) && u.Name is not null).ToList();
        if (plain.Count == 0) return null;
        var before = plain.FirstOrDefault(u => CompareImports(ns, u.Name!.ToString()) < 0);
        TextLine line;
        if (before is not null)
        {
            line = text.Lines.GetLineFromPosition(before.SpanStart);
        }
        else
        {
            // After the last plain using: at the start of the line that follows it.
            var last = text.Lines.GetLineFromPosition(plain[^1].Span.End);
            if (last.LineNumber + 1 >= text.Lines.Count) return null;
            line = text.Lines[last.LineNumber + 1];
            var lastStart = text.Lines.GetLineFromPosition(plain[^1].SpanStart);
            return Insert(text, line.Start, lastStart, ns);
        }
        return Insert(text, line.Start, line, ns);
    }

    private static string Insert(SourceText text, int at, TextLine like, string ns)
    {
        var lineText = text.ToString(like.Span);
        var indent = lineText[..(lineText.Length - lineText.TrimStart().Length)];
        var lineBreak = text.ToString(TextSpan.FromBounds(like.End, like.EndIncludingLineBreak));
        if (lineBreak.Length == 0) lineBreak = Environment.NewLine;
        return text.Replace(new TextSpan(at, 0), indent + "using " + ns + ";" + lineBreak).ToString();
    }

    /// <summary>Roslyn's default order of usings: System and its namespaces first, then ordinal ignoring case.</summary>
    private static int CompareImports(string a, string b)
    {
        static bool IsSystem(string n) => n == "System" || n.StartsWith("System.", StringComparison.Ordinal);
        var system = IsSystem(b).CompareTo(IsSystem(a));
        return system != 0 ? system : StringComparer.OrdinalIgnoreCase.Compare(a, b);
    }

    /// <summary>
    /// The one name in scope (for a member access: of the receiver's type) spelt closest to <paramref name="name"/>, within
    /// one edit (two for a name of eight letters or more; a swap of neighbours is one); null when none is or two are
    /// equally close.
    /// An invoked name looks only at methods and delegates; any other at every symbol (a method group is a value).
    /// </summary>
    private static string? ClosestName(SemanticModel model, SimpleNameSyntax name, string diagnosticId, CancellationToken cancellationToken)
    {
        var written = name.Identifier.ValueText;
        var position = name.SpanStart;
        var invoked = (name.Parent is MemberAccessExpressionSyntax m && m.Name == name ? m.Parent : name.Parent) is InvocationExpressionSyntax;
        // One edit, two for a long name: a typo, not another word ("ZqAdd" is not "Add": Roslyn offers no rename there).
        var threshold = written.Length >= 8 ? 2 : 1;
        IEnumerable<ISymbol> symbols;
        switch (diagnosticId)
        {
            case "CS1061" when name.Parent is MemberAccessExpressionSyntax access && access.Name == name:
                if (model.GetTypeInfo(access.Expression, cancellationToken).Type is not { TypeKind: not TypeKind.Error } receiver) return null;
                // The extension methods in scope are reduced to the receiver only where their names are close: reducing
                // every one (a type inference each) took a third of a second in a compilation just opened.
                var members = model.LookupSymbols(position, receiver).AsEnumerable();
                var extensions = ExtensionNamesInScope(model, (CompilationUnitSyntax)name.SyntaxTree.GetRoot(cancellationToken), position, cancellationToken) is { } names
                    ? names.Where(n => n != written && EditDistance(written, n, threshold) <= threshold)
                        .SelectMany(n => model.LookupSymbols(position, receiver, n, includeReducedExtensionMethods: true))
                    : model.LookupSymbols(position, receiver, includeReducedExtensionMethods: true);
                symbols = members.Concat(extensions).Where(s => !s.IsStatic || s is IMethodSymbol { ReducedFrom: not null });
                break;
            case "CS0117" when name.Parent is MemberAccessExpressionSyntax access && access.Name == name:
                if (model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is not INamedTypeSymbol type) return null;
                symbols = model.LookupStaticMembers(position, type);
                break;
            case "CS0103":
                symbols = model.LookupSymbols(position);
                break;
            case "CS0246":
                symbols = model.LookupNamespacesAndTypes(position);
                break;
            default:
                return null;
        }
        var best = int.MaxValue;
        var bestNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            if (!symbol.CanBeReferencedByName || symbol.Name == written) continue;
            if (invoked && !IsInvocable(symbol)) continue; // a name not invoked may be a method group too
            var distance = EditDistance(written, symbol.Name, threshold);
            if (distance > threshold || distance > best) continue;
            if (distance < best)
            {
                best = distance;
                bestNames.Clear();
            }
            bestNames.Add(symbol.Name);
        }
        return bestNames.Count == 1 ? bestNames.First() : null;
    }

    /// <summary>
    /// The names of the members of every static type that may hold extension methods and is in scope at
    /// <paramref name="position"/> (a superset of the extension methods Roslyn's lookup reduces there): the types of the
    /// enclosing namespaces, of the file's usings and every file's global usings, and those imported with
    /// <c>using static</c>, with their nested types (extension blocks). Null when a <c>using static</c> of another file
    /// names a type not found by its name: the caller then looks up every extension method.
    /// </summary>
    private static HashSet<string>? ExtensionNamesInScope(SemanticModel model, CompilationUnitSyntax root, int position, CancellationToken cancellationToken)
    {
        var compilation = model.Compilation;
        var namespaces = new HashSet<INamespaceSymbol>(SymbolEqualityComparer.Default);
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        for (var ns = model.GetEnclosingSymbol(position, cancellationToken)?.ContainingNamespace; ns is not null; ns = ns.ContainingNamespace) namespaces.Add(ns);
        foreach (var directive in Usings(root).Where(u => u.Alias is null && u.NamespaceOrType is not null))
        {
            switch (model.GetSymbolInfo(directive.NamespaceOrType, cancellationToken).Symbol)
            {
                case INamespaceSymbol ns:
                    namespaces.Add(ns);
                    break;
                case INamedTypeSymbol type:
                    types.Add(type.OriginalDefinition);
                    break;
            }
        }
        foreach (var tree in compilation.SyntaxTrees.Where(t => t != root.SyntaxTree))
        {
            foreach (var directive in Usings((CompilationUnitSyntax)tree.GetRoot(cancellationToken)).Where(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && u.Alias is null))
            {
                var written = directive.NamespaceOrType.ToString().Replace("global::", "", StringComparison.Ordinal);
                if (directive.StaticKeyword.IsKind(SyntaxKind.StaticKeyword))
                {
                    if (compilation.GetTypeByMetadataName(written) is not { } type) return null;
                    types.Add(type);
                }
                else if (Namespace(compilation, written) is { } ns)
                {
                    namespaces.Add(ns);
                }
            }
        }
        types.UnionWith(namespaces.SelectMany(n => n.GetTypeMembers()).Where(t => t.IsStatic && t.MightContainExtensionMethods));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            names.UnionWith(type.MemberNames);
            foreach (var nested in type.GetTypeMembers()) names.UnionWith(nested.MemberNames);
        }
        return names;

        static IEnumerable<UsingDirectiveSyntax> Usings(CompilationUnitSyntax root) =>
            root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>();
    }

    private static INamespaceSymbol? Namespace(Microsoft.CodeAnalysis.Compilation compilation, string name)
    {
        INamespaceSymbol? ns = compilation.GlobalNamespace;
        foreach (var part in name.Split('.'))
        {
            ns = ns.GetNamespaceMembers().FirstOrDefault(n => n.Name == part.Trim());
            if (ns is null) return null;
        }
        return ns;
    }

    private static bool IsInvocable(ISymbol symbol) => symbol switch
    {
        IMethodSymbol => true,
        ILocalSymbol l => l.Type.TypeKind == TypeKind.Delegate,
        IParameterSymbol p => p.Type.TypeKind == TypeKind.Delegate,
        IFieldSymbol f => f.Type.TypeKind == TypeKind.Delegate,
        IPropertySymbol p => p.Type.TypeKind == TypeKind.Delegate,
        _ => false,
    };

    /// <summary>
    /// Edits (insert, delete, substitute, swap two neighbours) from <paramref name="a"/> to <paramref name="b"/>; any value
    /// over <paramref name="limit"/> means "too far".
    /// </summary>
    public static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit) return limit + 1;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, d[i - 2, j - 2] + 1);
                d[i, j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > limit) return limit + 1;
        }
        return d[a.Length, b.Length];
    }
}
