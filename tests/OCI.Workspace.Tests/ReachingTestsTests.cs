using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OCI.Workspace.Testing;

namespace OCI.Workspace.Tests;

/// <summary>
/// The tests that reach a member, through Roslyn's real binding on a two-project solution (a library and its tests):
/// callers of callers, interfaces, properties, constructors and a test class's set-up code; walked over the caller
/// index, and before it is built over the documents that name the members.
/// </summary>
public sealed class ReachingTestsTests
{
    private const string Library = """
        namespace Lib;
        public interface IShape { int Area(); }
        public sealed class Square : IShape
        {
            private readonly int _side;
            public Square(int side) { _side = Checked(side); }
            public int Area() => Side() * Side();
            public int Perimeter => Side() * 4;
            private int Side() => _side;
            private static int Checked(int side) => side < 0 ? 0 : side;
        }
        public static class Factory
        {
            public static IShape Unit() => new Square(1);
        }
        public static class ShapeExtensions
        {
            public static int Twice<T>(this T shape) where T : IShape => Doubled(shape.Area());
            private static int Doubled(int area) => 2 * area;
        }
        public static class Unused
        {
            public static int Nothing() => 0;
        }
        """;

    private const string Tests = """
        namespace Lib.Tests;
        public sealed class FactAttribute : System.Attribute { }
        public class ShapeTests
        {
            [Fact] public void Area_through_the_interface() { IShape shape = new Square(2); _ = shape.Area(); }
            [Fact] public void Perimeter_of_two() { _ = new Square(2).Perimeter; }
            [Fact] public void Nothing_is_called() { }
            [Fact] public void Twice_the_area() { _ = new Square(3).Twice(); }
        }
        public class FactoryTests
        {
            private readonly IShape _unit;
            public FactoryTests() { _unit = Factory.Unit(); }
            [Fact] public void Unit_exists() { }
            [Fact] public void Unit_again() { }
            private void Helper() { }
        }
        public class ViaHelperTests
        {
            [Fact] public void Uses_a_helper() => Make();
            private static void Make() => _ = Factory.Unit();
        }
        """;

    private static (Solution Solution, Document Library) Create()
    {
        var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var lib = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib", "Lib", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references));
        var libDocument = workspace.AddDocument(lib.Id, "Shapes.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Library));
        var tests = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib.Tests", "Lib.Tests", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references, projectReferences: [new ProjectReference(lib.Id)]));
        workspace.AddDocument(tests.Id, "ShapeTests.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Tests));
        return (workspace.CurrentSolution, workspace.CurrentSolution.GetDocument(libDocument.Id)!);
    }

    private static async Task<IReadOnlyList<string>> ReachingAsync(string memberName) => (await SearchAsync(memberName, 200)).Names;

    private static async Task<IReadOnlyList<string>> ReachingAsync(Solution solution, string memberName) => (await SearchAsync(memberName, 200, solution)).Names;

    private static async Task<ReachingTestNames> SearchAsync(string memberName, int maxTests, Solution? prepared = null)
    {
        var (solution, library) = Create();
        if (prepared is not null)
        {
            solution = prepared;
            library = prepared.Projects.Single(p => p.Name == "Lib").Documents.Single();
        }
        var root = await library.GetSyntaxRootAsync();
        var model = await library.GetSemanticModelAsync();
        var member = root!.DescendantNodes().OfType<MemberDeclarationSyntax>().First(m => m switch
        {
            MethodDeclarationSyntax method => method.Identifier.ValueText == memberName,
            PropertyDeclarationSyntax property => property.Identifier.ValueText == memberName,
            _ => false,
        });
        var symbol = model!.GetDeclaredSymbol(member)!;
        return await ReachingTests.NamesAsync(symbol, solution, maxTests, CancellationToken.None);
    }

    [Fact]
    public async Task A_search_that_walked_every_caller_is_complete_and_one_cut_short_by_its_bound_says_so()
    {
        var complete = await SearchAsync("Side", 200);
        var cut = await SearchAsync("Side", 1);

        Assert.False(complete.Bounded);
        Assert.Equal(3, complete.Names.Count);
        Assert.True(cut.Bounded);
        Assert.Single(cut.Names);
    }

    [Fact]
    public async Task A_private_helper_is_reached_through_the_public_members_that_call_it_and_through_the_interface_they_implement()
    {
        var reaching = await ReachingAsync("Side");

        Assert.Equal(["Lib.Tests.ShapeTests.Area_through_the_interface", "Lib.Tests.ShapeTests.Perimeter_of_two", "Lib.Tests.ShapeTests.Twice_the_area"], reaching.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_helper_of_a_constructor_is_reached_by_every_test_that_creates_the_object_and_a_test_class_set_up_reaches_all_its_tests()
    {
        var checkedReaching = await ReachingAsync("Checked");
        var factoryReaching = await ReachingAsync("Unit");

        // Every test creates a Square: directly, or through Factory.Unit in a test class's constructor or a test's helper.
        Assert.Equal(
            ["Lib.Tests.FactoryTests.Unit_again", "Lib.Tests.FactoryTests.Unit_exists", "Lib.Tests.ShapeTests.Area_through_the_interface",
             "Lib.Tests.ShapeTests.Perimeter_of_two", "Lib.Tests.ShapeTests.Twice_the_area", "Lib.Tests.ViaHelperTests.Uses_a_helper"],
            checkedReaching.Order(StringComparer.Ordinal));
        Assert.Equal(["Lib.Tests.FactoryTests.Unit_again", "Lib.Tests.FactoryTests.Unit_exists", "Lib.Tests.ViaHelperTests.Uses_a_helper"], factoryReaching.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_generic_extension_method_called_as_one_is_reached_through_the_index_as_through_the_reference_search()
    {
        var (solution, _) = Create();
        await ReachingTests.PrepareAsync(solution, CancellationToken.None); // the walk runs on the caller index
        Assert.Equal(["Lib.Tests.ShapeTests.Twice_the_area"], await ReachingAsync(solution, "Doubled"));
    }

    [Fact]
    public async Task Code_no_test_calls_is_reached_by_no_test()
    {
        Assert.Empty(await ReachingAsync("Nothing"));
    }

    [Fact]
    public async Task The_walk_follows_each_state_of_the_code_a_caller_added_or_removed_in_a_fork_and_back()
    {
        var (solution, library) = Create();
        var tests = solution.Projects.Single(p => p.Name == "Lib.Tests").Documents.Single();
        var testsText = (await tests.GetTextAsync()).ToString();
        var withCaller = solution.WithDocumentText(tests.Id, Microsoft.CodeAnalysis.Text.SourceText.From(
            testsText.Replace("[Fact] public void Nothing_is_called() { }", "[Fact] public void Nothing_is_called() { _ = Unused.Nothing(); }", StringComparison.Ordinal)));

        await ReachingTests.PrepareAsync(solution, CancellationToken.None); // the walk then runs on the caller index
        var before = await NamesAsync(solution);
        var after = await NamesAsync(withCaller);
        var backAgain = await NamesAsync(solution);

        Assert.Empty(before);
        Assert.Equal(["Lib.Tests.ShapeTests.Nothing_is_called"], after);
        Assert.Empty(backAgain);

        async Task<IReadOnlyList<string>> NamesAsync(Solution state)
        {
            var document = state.GetDocument(library.Id)!;
            var root = await document.GetSyntaxRootAsync();
            var model = await document.GetSemanticModelAsync();
            var nothing = root!.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Nothing");
            return (await ReachingTests.NamesAsync(model!.GetDeclaredSymbol(nothing)!, state, 200, CancellationToken.None)).Names;
        }
    }

    [Fact]
    public async Task The_caller_index_and_the_walk_before_it_find_the_same_tests_for_every_member()
    {
        var (solution, library) = Create();
        await ReachingTests.PrepareAsync(solution, CancellationToken.None);
        var root = await library.GetSyntaxRootAsync();
        var model = await library.GetSemanticModelAsync();
        var members = root!.DescendantNodes().OfType<MemberDeclarationSyntax>()
            .Where(m => m is MethodDeclarationSyntax or PropertyDeclarationSyntax or ConstructorDeclarationSyntax or BaseTypeDeclarationSyntax)
            .Select(m => model!.GetDeclaredSymbol(m)!)
            .ToList();
        Assert.True(members.Count >= 10, $"{members.Count} members");

        foreach (var member in members)
        {
            var indexed = await ReachingTests.FindAsync(member, solution, 200, CancellationToken.None);
            var searched = await ReachingTests.FindBeforeTheIndexAsync(member, solution, 200, CancellationToken.None);
            Assert.Equal(Names(searched), Names(indexed));
        }

        static IReadOnlyList<string> Names(ReachingTestSet set) => [.. set.Tests.Select(t => TestMethods.Name(t.Method)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Before_the_index_a_walk_binds_only_the_names_it_looks_for_once_per_document_text_and_the_ways_code_refers_to_a_member_without_its_name()
    {
        // A constructor called through a target-typed new, a type used only through a global alias in another file, an
        // indexer (no name at all), and a file that names none of them: it must not be bound.
        var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var lib = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib", "Lib", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references));
        var box = workspace.AddDocument(lib.Id, "Box.cs", Microsoft.CodeAnalysis.Text.SourceText.From("""
            namespace Lib;
            public sealed class Box
            {
                public Box(int value) { Value = value; }
                public int Value { get; }
                public int this[int i] => Value + i;
            }
            public static class Tool { public static int Zero() => 0; }
            """));
        var tests = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib.Tests", "Lib.Tests", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references, projectReferences: [new ProjectReference(lib.Id)]));
        workspace.AddDocument(tests.Id, "Aliases.cs", Microsoft.CodeAnalysis.Text.SourceText.From("global using Crate = Lib.Box;\n"));
        workspace.AddDocument(tests.Id, "BoxTests.cs", Microsoft.CodeAnalysis.Text.SourceText.From("""
            namespace Lib.Tests;
            public sealed class FactAttribute : System.Attribute { }
            public class CreatedTests { [Fact] public void Made_by_target_typed_new() { Lib.Tool.Zero(); Use(new(1)); } private static void Use(Lib.Box b) { } }
            public class AliasTests { [Fact] public void Through_the_alias() { Crate? c = null; _ = c; } }
            public class IndexerTests { [Fact] public void Indexed() { Lib.Box b = null!; _ = b[1]; } }
            """));
        workspace.AddDocument(tests.Id, "Unrelated.cs", Microsoft.CodeAnalysis.Text.SourceText.From("namespace Lib.Tests; public class Other { public void Nothing() { } }"));
        var solution = workspace.CurrentSolution;
        var model = await solution.GetDocument(box.Id)!.GetSemanticModelAsync();
        var type = model!.Compilation.GetTypeByMetadataName("Lib.Box")!;

        var value = CallerIndex.Key(type.GetMembers("Value").Single())!;
        var walk = new NamingDocumentCallers(solution);
        await walk.PrepareAsync([value], CancellationToken.None);
        // A later walk on a fork that changed one test file binds that file only (Box.cs's names were bound already).
        var testsDocument = solution.Projects.Single(p => p.Name == "Lib.Tests").Documents.Single(d => d.Name == "BoxTests.cs");
        var testsText = (await testsDocument.GetTextAsync()).ToString();
        var fork = solution.WithDocumentText(testsDocument.Id, Microsoft.CodeAnalysis.Text.SourceText.From(
            testsText.Replace("_ = b[1];", "_ = b[1] + b.Value;", StringComparison.Ordinal)));
        var forkWalk = new NamingDocumentCallers(fork);
        await forkWalk.PrepareAsync([value], CancellationToken.None);
        var constructor = await Names(type.InstanceConstructors.Single());
        var indexer = await Names(type.GetMembers().OfType<IPropertySymbol>().Single(p => p.IsIndexer));
        var throughType = await Names(type);

        Assert.Equal(1, walk.BoundDocuments); // only Box.cs names Value: BoxTests.cs and Unrelated.cs are not bound
        Assert.Equal(1, forkWalk.BoundDocuments);
        Assert.DoesNotContain(walk.CallersOf(value), c => c.Caller.Tests.Count > 0);
        Assert.Equal(["Lib.Tests.IndexerTests.Indexed"], forkWalk.CallersOf(value).SelectMany(c => c.Caller.Tests).Select(t => t.Name));
        Assert.Equal(["Lib.Tests.CreatedTests.Made_by_target_typed_new"], constructor);
        Assert.Equal(["Lib.Tests.IndexerTests.Indexed"], indexer);
        Assert.Contains("Lib.Tests.AliasTests.Through_the_alias", throughType);

        async Task<IReadOnlyList<string>> Names(ISymbol member)
        {
            var found = await ReachingTests.FindBeforeTheIndexAsync(member, solution, 200, CancellationToken.None);
            Assert.False(found.Bounded);
            return [.. found.Tests.Select(t => TestMethods.Name(t.Method)).Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task Before_the_index_a_walk_reads_only_projects_that_can_reference_the_member_and_lead_to_a_test()
    {
        // Lib.Tests (a test project: it references xunit.core) references Lib and Other; App references Lib, and no test
        // references App. All three name Value; only Lib's own file may lead from Box.Value to a test.
        var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        ProjectId Add(string name, string file, string text, ProjectId[] dependencies, bool test = false)
        {
            var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, name, name, LanguageNames.CSharp,
                compilationOptions: options,
                metadataReferences: test ? [.. references, MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "xunit.core.dll"))] : references,
                projectReferences: dependencies.Select(d => new ProjectReference(d))));
            workspace.AddDocument(project.Id, file, Microsoft.CodeAnalysis.Text.SourceText.From(text));
            return project.Id;
        }
        var lib = Add("Lib", "Box.cs", "namespace Lib; public sealed class Box { public int Value { get; } public int Twice => Value * 2; }", []);
        var other = Add("Other", "Counter.cs", "namespace Other; public sealed class Counter { public int Value { get; set; } public void Up() => Value++; }", []);
        Add("App", "Program.cs", "namespace App; public static class Program { public static int Main() => new Lib.Box().Value; }", [lib]);
        Add("Lib.Tests", "BoxTests.cs", """
            namespace Lib.Tests;
            public class BoxTests { [Xunit.Fact] public void Twice() { _ = new Lib.Box().Twice; } }
            """, [lib, other], test: true);
        var solution = workspace.CurrentSolution;
        var type = (await solution.GetProject(lib)!.GetCompilationAsync())!.GetTypeByMetadataName("Lib.Box")!;

        var walk = new NamingDocumentCallers(solution);
        await walk.PrepareAsync([CallerIndex.Key(type.GetMembers("Value").Single())!], CancellationToken.None);
        var found = await ReachingTests.FindBeforeTheIndexAsync(type.GetMembers("Value").Single(), solution, 200, CancellationToken.None);

        Assert.Equal(1, walk.BoundDocuments); // Box.cs: not Counter.cs (Other cannot reference Lib), not Program.cs (no test references App)
        Assert.Equal(["Lib.Tests.BoxTests.Twice"], found.Tests.Select(t => TestMethods.Name(t.Method)));
    }

    [Fact]
    public async Task Before_the_index_a_walk_binds_a_private_or_static_members_name_only_where_it_can_refer_to_that_member()
    {
        // Parse.Length is static in a static class: written after Parse, or an alias of it, or under a using static of
        // Parse (here, or global in another file); Parse.Twice is private: written only inside Parse. The other files
        // write Length and Twice for other members, or write Parse and Length apart: they must not be bound.
        var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var lib = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib", "Lib", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references));
        var parse = workspace.AddDocument(lib.Id, "Parse.cs", Microsoft.CodeAnalysis.Text.SourceText.From("""
            namespace Lib;
            public static class Parse
            {
                public static int Length(int n) => n;
                public static int Doubled(int n) => Twice(n);
                private static int Twice(int n) => 2 * n;
                public static class Nested { public static int Inner() => Length(1); }
            }
            public static class Numbers { public static int One() => 1; }
            public sealed class Text { public int Length => 3; public int Twice() => 6; }
            """));
        var tests = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lib.Tests", "Lib.Tests", LanguageNames.CSharp,
            compilationOptions: options, metadataReferences: references, projectReferences: [new ProjectReference(lib.Id)]));
        void Add(string file, string text) => workspace.AddDocument(tests.Id, file, Microsoft.CodeAnalysis.Text.SourceText.From(text));
        Add("Fact.cs", "global using static Lib.Numbers;\nnamespace Lib.Tests; public sealed class FactAttribute : System.Attribute { }\n");
        Add("Qualified.cs", "namespace Lib.Tests; public class QualifiedTests { [Fact] public void Qualified() => _ = Lib.Parse.Length(1); }");
        Add("UsingStatic.cs", "using static Lib.Parse;\nnamespace Lib.Tests; public class UsingStaticTests { [Fact] public void Unqualified() => _ = Length(2); }");
        Add("Alias.cs", "using P = Lib.Parse;\nnamespace Lib.Tests; public class AliasTests { [Fact] public void Aliased() => _ = P.Length(3); }");
        Add("Nested.cs", "namespace Lib.Tests; public class NestedTests { [Fact] public void Inner() => _ = Parse.Nested.Inner(); [Fact] public void Doubled() => _ = Parse.Doubled(1); }");
        Add("GlobalStatic.cs", "namespace Lib.Tests; public class GlobalStaticTests { [Fact] public void Imported() => _ = One(); }");
        Add("Instance.cs", "namespace Lib.Tests; public class InstanceTests { [Fact] public void Other() => _ = new Text().Length + new Text().Twice(); }");
        Add("Apart.cs", "namespace Lib.Tests; public class ApartTests { [Fact] public void Apart() => _ = nameof(Parse).Length + \"Parse\".Length; }");
        var solution = workspace.CurrentSolution;
        var type = (await solution.GetProject(lib.Id)!.GetCompilationAsync())!.GetTypeByMetadataName("Lib.Parse")!;
        var length = type.GetMembers("Length").Single();
        var twice = type.GetMembers("Twice").Single();
        var one = type.ContainingNamespace.GetTypeMembers("Numbers").Single().GetMembers("One").Single();

        var lengthWalk = new NamingDocumentCallers(solution);
        await lengthWalk.PrepareAsync([CallerIndex.Key(length)!], CancellationToken.None);
        var twiceWalk = new NamingDocumentCallers(solution.WithDocumentText(parse.Id, (await solution.GetDocument(parse.Id)!.GetTextAsync())
            .WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(default, "// a fork: nothing bound yet\n"))));
        await twiceWalk.PrepareAsync([CallerIndex.Key(twice)!], CancellationToken.None);

        Assert.Equal(4, lengthWalk.BoundDocuments); // Parse.cs (Nested.Inner), Qualified.cs, UsingStatic.cs, Alias.cs
        Assert.Equal(1, twiceWalk.BoundDocuments); // Parse.cs: not Instance.cs
        Assert.Equal(
            ["Lib.Tests.AliasTests.Aliased", "Lib.Tests.NestedTests.Inner", "Lib.Tests.QualifiedTests.Qualified", "Lib.Tests.UsingStaticTests.Unqualified"],
            await Names(length));
        Assert.Equal(["Lib.Tests.NestedTests.Doubled"], await Names(twice));
        Assert.Equal(["Lib.Tests.GlobalStaticTests.Imported"], await Names(one));
        // The caller index (every document bound) finds the same tests.
        await ReachingTests.PrepareAsync(solution, CancellationToken.None);
        foreach (var member in new[] { length, twice, one })
        {
            var indexed = await ReachingTests.FindAsync(member, solution, 200, CancellationToken.None);
            Assert.Equal([.. indexed.Tests.Select(t => TestMethods.Name(t.Method)).Order(StringComparer.Ordinal)], await Names(member));
        }

        async Task<IReadOnlyList<string>> Names(ISymbol member)
        {
            var found = await ReachingTests.FindBeforeTheIndexAsync(member, solution, 200, CancellationToken.None);
            Assert.False(found.Bounded);
            return [.. found.Tests.Select(t => TestMethods.Name(t.Method)).Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task Before_the_index_a_private_member_of_Program_is_looked_for_in_top_level_statements_too()
    {
        // Top-level statements are in the Program class that another file's partial part declares: a file that never
        // writes "Program" may call its private members.
        var workspace = new AdhocWorkspace();
        var references = new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) };
        var app = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "App", "App", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.ConsoleApplication), metadataReferences: references));
        workspace.AddDocument(app.Id, "Main.cs", Microsoft.CodeAnalysis.Text.SourceText.From("var n = Helper();\nSystem.Console.WriteLine(n);\n"));
        workspace.AddDocument(app.Id, "Helpers.cs", Microsoft.CodeAnalysis.Text.SourceText.From("internal partial class Program { private static int Helper() => 1; }\n"));
        workspace.AddDocument(app.Id, "Other.cs", Microsoft.CodeAnalysis.Text.SourceText.From("internal static class Other { public static int Helper() => 2; public static int Use() => Helper(); }\n"));
        var solution = workspace.CurrentSolution;
        var helper = (await solution.GetProject(app.Id)!.GetCompilationAsync())!.GetTypeByMetadataName("Program")!.GetMembers("Helper").Single();

        var walk = new NamingDocumentCallers(solution);
        await walk.PrepareAsync([CallerIndex.Key(helper)!], CancellationToken.None);

        Assert.Equal(1, walk.BoundDocuments); // Main.cs: not Other.cs, which writes Helper for its own member
    }

    [Theory]
    [InlineData("M:Ns.C.M(System.Int32)", new[] { "M" })]
    [InlineData("M:Ns.C`1.#ctor(`0)", new[] { "C", CallerIndex.ImplicitNew })]
    [InlineData("M:Ns.MyAttribute.#ctor", new[] { "MyAttribute", "My", CallerIndex.ImplicitNew })]
    [InlineData("T:Ns.Outer.Inner`2", new[] { "Inner" })]
    [InlineData("M:Ns.C.Ns#IFoo#Bar``1(``0)", new[] { "Bar" })]
    [InlineData("P:Ns.C.Count", new[] { "Count" })]
    public void A_members_key_says_the_names_code_writes_to_reference_it(string id, string[] names) =>
        Assert.Equal(names, CallerIndex.NamesOf("Lib|" + id));

    [Fact]
    public void An_indexer_is_referenced_without_a_name() => Assert.Null(CallerIndex.NamesOf("Lib|P:Ns.C.Item(System.Int32)"));

    [Theory]
    [InlineData("Ns.C.M", "Ns.C.M", true)]
    [InlineData("Ns.C.M(1, 2)", "Ns.C.M", true)]
    [InlineData("Ns.C.Method", "Ns.C.M", false)]
    public void A_parameterised_case_is_a_result_of_its_test_method(string result, string test, bool expected) =>
        Assert.Equal(expected, ReachingTests.IsResultOf(result, test));
}
