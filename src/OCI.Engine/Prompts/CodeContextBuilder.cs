using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace.Testing;

namespace OCI.Engine.Prompts;

/// <summary>Builds a <see cref="CodeContext"/> for a target node with Roslyn's semantic model and SymbolFinder.</summary>
public static class CodeContextBuilder
{
    /// <summary>An enclosing type shorter than this is shown whole; a longer one as member signatures.</summary>
    public const int MaxWholeTypeCharacters = 6000;

    public const int MaxSignatures = 30;

    public const int MaxTests = 6;

    public const int MaxTestCharacters = 6000;

    /// <summary>How many referencing test methods the filter of impacted tests names at most.</summary>
    public const int MaxReferencingTests = 200;

    private static readonly SymbolDisplayFormat SignatureFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeModifiers
            | SymbolDisplayMemberOptions.IncludeAccessibility | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef,
        kindOptions: SymbolDisplayKindOptions.IncludeTypeKeyword,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeDefaultValue
            | SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeExtensionThis,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <param name="target">The declaration (member or type) or the innermost node covering the selection.</param>
    /// <param name="testsOf">The declaration whose referencing test methods to include (costs a SymbolFinder search); null: none.</param>
    public static async Task<CodeContext> BuildAsync(Document document, SyntaxNode target, SyntaxNode? testsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(target);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{document.FilePath} has no semantic model (not a C# document?)");
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);

        var enclosingType = target.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault();
        var enclosingText = enclosingType is null ? null : RenderType(enclosingType, target);
        var signatures = UsedSignatures(model, target, enclosingType is not null && enclosingType.Span.Length <= MaxWholeTypeCharacters ? enclosingType : target, cancellationToken);
        var diagnostics = model.GetDiagnostics(target.FullSpan, cancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.IsInSource)
            .OrderByDescending(d => d.Severity)
            .Take(10)
            .Select(d => Describe(d, text))
            .ToList();
        var context = new CodeContext(document.FilePath ?? document.Name, target.ToString(), enclosingText, signatures, [], diagnostics);
        return testsOf is null ? context : await WithReachingTestsAsync(context, document, testsOf, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="context"/> with the test methods that reach <paramref name="testsOf"/>: the slow part of a context
    /// (seconds of Roslyn's reference search before the caller index is built), so the engine runs it beside the check of
    /// the user's code and the search for Roslyn's fixes, which need none of it.
    /// </summary>
    public static async Task<CodeContext> WithReachingTestsAsync(CodeContext context, Document document, SyntaxNode testsOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(testsOf);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{document.FilePath} has no semantic model (not a C# document?)");
        var (tests, referencing) = await RelatedTestsAsync(document.Project.Solution, model, testsOf, cancellationToken).ConfigureAwait(false);
        return context with { Tests = tests, ReferencingTests = referencing.Names, ReferencingTestsBounded = referencing.Bounded };
    }

    /// <summary>"line 12: error CS0103: The name 'x' does not exist in the current context" followed by the source line.</summary>
    public static string Describe(Diagnostic diagnostic, SourceText text)
    {
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var sourceLine = position.Line < text.Lines.Count ? text.Lines[position.Line].ToString().Trim() : "";
        return $"line {position.Line + 1}: {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"
            + (sourceLine.Length > 0 ? $"\n    {sourceLine}" : "");
    }

    /// <summary>The member's declaration without its body: "public int Add(int a, int b)".</summary>
    public static string Signature(MemberDeclarationSyntax member) => member switch
    {
        BaseMethodDeclarationSyntax m => m.WithBody(null).WithExpressionBody(null).WithSemicolonToken(default).WithAttributeLists(default).WithoutTrivia().ToString().Trim(),
        PropertyDeclarationSyntax p => p.WithAccessorList(null).WithExpressionBody(null).WithInitializer(null).WithSemicolonToken(default).WithAttributeLists(default).WithoutTrivia().ToString().Trim()
            + " { " + string.Join(" ", p.AccessorList?.Accessors.Select(a => a.Keyword.Text + ";") ?? ["get;"]) + " }",
        TypeDeclarationSyntax t => (t.Modifiers.ToString() + " " + t.Keyword.Text + " " + t.Identifier.Text + t.TypeParameterList + " " + t.BaseList).Trim(),
        EnumDeclarationSyntax e => (e.Modifiers.ToString() + " enum " + e.Identifier.Text).Trim(),
        _ => member.WithoutTrivia().ToString().Split('\n')[0].Trim(),
    };

    private static string RenderType(BaseTypeDeclarationSyntax type, SyntaxNode target)
    {
        if (type.Span.Length <= MaxWholeTypeCharacters) return Dedent(type.ToString());
        // Too long to show whole: member signatures, with the target itself in full.
        var lines = new List<string> { Signature(type), "{" };
        if (type is TypeDeclarationSyntax declaration)
        {
            foreach (var member in declaration.Members)
            {
                lines.Add(member.Span.Contains(target.Span) ? Dedent(target.ToString()) : Signature(member) + (member is BaseFieldDeclarationSyntax ? "" : " { … }"));
            }
        }
        lines.Add("}");
        return string.Join('\n', lines);
    }

    private static IReadOnlyList<string> UsedSignatures(SemanticModel model, SyntaxNode target, SyntaxNode shownWhole, CancellationToken cancellationToken)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var signatures = new List<string>();
        foreach (var name in target.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = model.GetSymbolInfo(name, cancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is null or ILocalSymbol or IParameterSymbol or ITypeParameterSymbol or INamespaceSymbol or IRangeVariableSymbol or ILabelSymbol) continue;
            symbol = symbol.OriginalDefinition;
            if (!symbol.Locations.Any(l => l.IsInSource)) continue; // the model knows the BCL; show the user's own API
            // Already visible in the prompt (declared inside the enclosing type or the target itself).
            if (symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == shownWhole.SyntaxTree && shownWhole.Span.Contains(r.Span))) continue;
            if (!seen.Add(symbol)) continue;
            signatures.Add(symbol is INamedTypeSymbol type ? RenderTypeSignatures(type) : symbol.ToDisplayString(SignatureFormat) + ";");
            if (signatures.Count >= MaxSignatures) break;
        }
        return signatures;
    }

    private static string RenderTypeSignatures(INamedTypeSymbol type)
    {
        var members = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            .Where(m => m is not IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove })
            .Take(25)
            .Select(m => "    " + m.ToDisplayString(SignatureFormat).Replace(type.Name + ".", "", StringComparison.Ordinal) + ";");
        return type.ToDisplayString(SignatureFormat) + "\n{\n" + string.Join('\n', members) + "\n}";
    }

    /// <summary>
    /// The test methods that reference <paramref name="target"/>'s symbol: the first few with their sources for the
    /// prompt, and the names of all of them (the first <see cref="MaxReferencingTests"/> in file order when there are
    /// more: the confirmation runs the whole suite anyway) for the filter of impacted tests.
    /// </summary>
    private static async Task<(IReadOnlyList<RelatedTest> Shown, ReachingTestNames All)> RelatedTestsAsync(
        Solution solution, SemanticModel model, SyntaxNode target, CancellationToken cancellationToken)
    {
        var symbol = model.GetDeclaredSymbol(target, cancellationToken);
        if (symbol is null) return ([], ReachingTestNames.None);
        var tests = new List<RelatedTest>();
        var characters = 0;
        var referencing = await ReachingTests.FindAsync(symbol, solution, MaxReferencingTests, cancellationToken).ConfigureAwait(false);
        foreach (var (document, method) in referencing.Tests)
        {
            if (tests.Count >= MaxTests) break;
            var testModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var testSymbol = testModel?.GetDeclaredSymbol(method, cancellationToken);
            var name = testSymbol is null ? method.Identifier.ValueText : testSymbol.ContainingType.ToDisplayString() + "." + testSymbol.Name;
            var source = Dedent(method.ToString());
            if (tests.Count > 0 && characters + source.Length > MaxTestCharacters) break;
            characters += source.Length;
            tests.Add(new RelatedTest(name, source));
        }
        var names = referencing.Tests.Select(r => TestMethods.Name(r.Method)).ToList();
        return (tests, new ReachingTestNames(names, referencing.Bounded));
    }

    /// <summary>Removes the indentation the code had inside its file (its first line's was already trimmed by the syntax tree).</summary>
    internal static string Dedent(string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var rest = lines.Skip(1).Where(l => l.Trim().Length > 0).ToList();
        if (rest.Count == 0) return code.Trim();
        // The closing brace sits at the declaration's own indentation.
        var common = rest.Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select((l, i) => i == 0 ? l.TrimStart() : l.Length >= common && l[..common].Trim().Length == 0 ? l[common..] : l.TrimStart())).Trim();
    }
}
