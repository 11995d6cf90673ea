using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;
using OCI.Workspace;
using OCI.Workspace.Compilation;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests.Support;

/// <summary>
/// A TEST HOST for the engine's logic, not the product's workspace: a real Roslyn <see cref="AdhocWorkspace"/> (with
/// the Features assemblies, so Roslyn's code fixes work) holding a library project "Lib" and an xunit project
/// "Lib.Tests", compiled for real against the running runtime's reference assemblies (TRUSTED_PLATFORM_ASSEMBLIES).
/// There is no MSBuild and no dotnet test: "running the tests" emits both assemblies in memory and invokes their
/// [Fact] methods by reflection in a collectible load context. The production host (MSBuildWorkspace, shadow-copy
/// build, dotnet test) belongs to the workspace-verification layer and has its own tests.
/// </summary>
public sealed class InMemoryWorkspaceHost : IWorkspaceHost
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_runtimeReferences = new(LoadRuntimeReferences);
    private static readonly string[] GlobalUsings = ["System", "System.Collections.Generic", "System.Linq", "System.Threading.Tasks"];

    private readonly AdhocWorkspace _workspace;
    private readonly Dictionary<string, string> _diskTexts = new(StringComparer.Ordinal);
    private readonly ProjectId _libraryId;
    private readonly ProjectId _testsId;
    private readonly object _gate = new();
    private volatile bool _disposed;

    private InMemoryWorkspaceHost(string root, AdhocWorkspace workspace, ProjectId libraryId, ProjectId testsId)
    {
        Root = root;
        _workspace = workspace;
        _libraryId = libraryId;
        _testsId = testsId;
        LoadReport = new WorkspaceLoadReport(root, ["Lib", "Lib.Tests"], []);
    }

    public string Root { get; }

    public WorkspaceLoadReport LoadReport { get; }

    public Solution CurrentSolution => _workspace.CurrentSolution;

    /// <summary>Every verification request the engine made (tests assert on filters and stages).</summary>
    public List<VerificationRequest> Requests { get; } = [];

    /// <summary>The requests whose candidate compiled and went on to the test stage.</summary>
    public List<VerificationRequest> TestedRequests { get; } = [];

    public TimeSpan TestTimeout { get; init; } = OCI.Testing.TestWaits.Seconds(10);

    /// <summary>Runs at the start of every <see cref="VerifyAsync"/> (tests hold a check back to observe what runs meanwhile).</summary>
    public Func<VerificationRequest, CancellationToken, Task>? BeforeVerify { get; set; }

    public string LibraryPath(string fileName) => Path.Combine(Root, "Lib", fileName);

    public string TestsPath(string fileName) => Path.Combine(Root, "Lib.Tests", fileName);

    public static InMemoryWorkspaceHost Create(IReadOnlyDictionary<string, string> libraryFiles, IReadOnlyDictionary<string, string>? testFiles = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "oci-engine-tests", Guid.NewGuid().ToString("N"));
        var workspace = new AdhocWorkspace(MefHostServices.DefaultHost);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compileOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var libraryId = ProjectId.CreateNewId("Lib");
        var testsId = ProjectId.CreateNewId("Lib.Tests");
        var xunit = new[] { typeof(Xunit.Assert), typeof(Xunit.FactAttribute), typeof(Xunit.Abstractions.ITestOutputHelper) }
            .Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location));

        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(libraryId, VersionStamp.Create(), "Lib", "Lib", LanguageNames.CSharp,
                filePath: Path.Combine(root, "Lib", "Lib.csproj"), compilationOptions: compileOptions, parseOptions: parseOptions,
                metadataReferences: s_runtimeReferences.Value))
            .AddProject(ProjectInfo.Create(testsId, VersionStamp.Create(), "Lib.Tests", "Lib.Tests", LanguageNames.CSharp,
                filePath: Path.Combine(root, "Lib.Tests", "Lib.Tests.csproj"), compilationOptions: compileOptions, parseOptions: parseOptions,
                metadataReferences: s_runtimeReferences.Value.Concat(xunit), projectReferences: [new ProjectReference(libraryId)]));

        var host = new InMemoryWorkspaceHost(root, workspace, libraryId, testsId);
        solution = AddDocuments(solution, libraryId, Path.Combine(root, "Lib"), libraryFiles.Append(new("GlobalUsings.g.cs", Usings(GlobalUsings))), host._diskTexts);
        solution = AddDocuments(solution, testsId, Path.Combine(root, "Lib.Tests"), (testFiles ?? new Dictionary<string, string>()).Append(new("GlobalUsings.g.cs", Usings([.. GlobalUsings, "Xunit"]))), host._diskTexts);
        if (!workspace.TryApplyChanges(solution)) throw new InvalidOperationException("AdhocWorkspace refused the test solution.");
        return host;
    }

    public void SetOverlay(string path, string text)
    {
        lock (_gate)
        {
            var ids = _workspace.CurrentSolution.GetDocumentIdsWithFilePath(path);
            if (ids.IsEmpty) throw new ArgumentException($"{path} is not in a loaded project.", nameof(path));
            var solution = _workspace.CurrentSolution;
            foreach (var id in ids) solution = solution.WithDocumentText(id, SourceText.From(text));
            _workspace.TryApplyChanges(solution);
        }
    }

    public void RemoveOverlay(string path)
    {
        if (_diskTexts.TryGetValue(path, out var disk)) SetOverlay(path, disk);
    }

    /// <summary>The test host's "disk" is its dictionary of file texts: a change takes the text set by <see cref="WriteToDisk"/>.</summary>
    public void WriteToDisk(string path, string text)
    {
        lock (_gate) _diskTexts[path] = text;
    }

    public OCI.Workspace.DiskChanges.DiskChangeEffect ApplyDiskChanges(IReadOnlyList<OCI.Workspace.DiskChanges.DiskChange> changes)
    {
        var changed = new List<string>();
        foreach (var change in changes)
        {
            string? disk;
            lock (_gate) _diskTexts.TryGetValue(change.Path, out disk);
            var id = CurrentSolution.GetDocumentIdsWithFilePath(change.Path).FirstOrDefault();
            if (disk is null || id is null) continue;
            SetOverlay(change.Path, disk);
            changed.Add(CurrentSolution.GetProject(id.ProjectId)!.FilePath!);
        }
        return new([.. changed.Distinct()], [.. changes.Where(c => c.RequiresReload).Select(c => c.Path)]);
    }

    public string? GetText(string path)
    {
        var id = CurrentSolution.GetDocumentIdsWithFilePath(path).FirstOrDefault();
        return id is null ? null : CurrentSolution.GetDocument(id)!.GetTextAsync().Result.ToString();
    }

    public async Task<VerificationResult> CompileAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var before = CurrentSolution;
        var after = Apply(before, changes);
        var oldErrors = (await ErrorsAsync(before, cancellationToken).ConfigureAwait(false)).Select(Key).ToList();
        var diagnostics = new List<CompilerDiagnostic>();
        foreach (var diagnostic in await ErrorsAsync(after, cancellationToken).ConfigureAwait(false))
        {
            var isNew = !oldErrors.Remove(Key(diagnostic));
            var line = diagnostic.Location.GetLineSpan();
            var tree = diagnostic.Location.SourceTree;
            var sourceLine = tree is null ? null : (await tree.GetTextAsync(cancellationToken).ConfigureAwait(false)).Lines[line.StartLinePosition.Line].ToString();
            diagnostics.Add(new CompilerDiagnostic(diagnostic.Id, DiagnosticSeverityLevel.Error, diagnostic.GetMessage(), tree?.FilePath,
                line.StartLinePosition.Line + 1, line.StartLinePosition.Character + 1, sourceLine, isNew));
        }
        var status = diagnostics.Any(d => d.IsNew) ? VerificationStatus.CompileErrors : VerificationStatus.Passed;
        return new VerificationResult(status, diagnostics, [], CompileTime: watch.Elapsed);
    }

    public async Task<VerificationResult> VerifyAsync(VerificationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        lock (_gate) Requests.Add(request);
        if (BeforeVerify is { } before) await before(request, cancellationToken).ConfigureAwait(false);
        // As the production host once closed (its pipeline's gate is disposed): a reload closed it under a running task.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.AllErrorsInChangedFiles || request.TargetDiagnostic is not null)
        {
            // The product's rule, from the workspace layer itself: every error in the changed files counts.
            var watch0 = System.Diagnostics.Stopwatch.StartNew();
            var candidate = Apply(CurrentSolution, request.Changes);
            var changed = request.Changes.SelectMany(c => candidate.GetDocumentIdsWithFilePath(c.Path)).ToList();
            var errors = await ChangedFileErrors.FindAsync(candidate, changed, request.TargetDiagnostic, cancellationToken).ConfigureAwait(false);
            if (errors.Count > 0) return new VerificationResult(VerificationStatus.CompileErrors, errors, [], CompileTime: watch0.Elapsed);
        }
        var compiled = await CompileAsync(request.Changes, cancellationToken).ConfigureAwait(false);
        if (compiled.Status != VerificationStatus.Passed || !request.RunTests) return compiled;
        lock (_gate) TestedRequests.Add(request);
        progress?.Report("running tests");
        var solution = Apply(CurrentSolution, request.Changes);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (tests, timedOut) = await RunTestsAsync(solution, request.TestFilter, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        var status = timedOut ? VerificationStatus.TimedOut : tests.Any(t => t.Outcome == TestOutcome.Failed) ? VerificationStatus.TestsFailed : VerificationStatus.Passed;
        progress?.Report($"running tests: {tests.Count(t => t.Outcome == TestOutcome.Passed)} passed, {tests.Count(t => t.Outcome == TestOutcome.Failed)} failed");
        return compiled with { Status = status, Tests = tests, TestTime = watch.Elapsed, Message = timedOut ? "the tests ran past their timeout" : null };
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _workspace.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<(IReadOnlyList<TestCaseResult> Tests, bool TimedOut)> RunTestsAsync(Solution solution, string? filter, CancellationToken cancellationToken)
    {
        var library = await EmitAsync(solution.GetProject(_libraryId)!, cancellationToken).ConfigureAwait(false);
        var tests = await EmitAsync(solution.GetProject(_testsId)!, cancellationToken).ConfigureAwait(false);
        var context = new TestLoadContext(library);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(tests));
            var filters = filter?.Split('|').Select(f => f.Replace("FullyQualifiedName~", "", StringComparison.Ordinal)).ToList();
            var results = new List<TestCaseResult>();
            foreach (var type in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract))
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (!method.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "Xunit.FactAttribute")) continue;
                    var name = type.FullName + "." + method.Name;
                    if (filters is not null && !filters.Any(f => name.Contains(f, StringComparison.Ordinal))) continue;
                    var run = Task.Run(async () =>
                    {
                        try
                        {
                            var returned = method.Invoke(Activator.CreateInstance(type), null);
                            if (returned is Task task) await task.ConfigureAwait(false);
                            return new TestCaseResult(name, TestOutcome.Passed);
                        }
                        catch (Exception e)
                        {
                            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
                            return new TestCaseResult(name, TestOutcome.Failed, $"{inner.GetType().FullName}: {inner.Message}", inner.StackTrace);
                        }
                    }, cancellationToken);
                    var finished = await Task.WhenAny(run, Task.Delay(TestTimeout, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (finished != run) return (results, true);
                    results.Add(await run.ConfigureAwait(false));
                }
            }
            return (results, false);
        }
        finally
        {
            context.Unload();
        }
    }

    private static async Task<byte[]> EmitAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream();
        var emitted = compilation!.Emit(stream, cancellationToken: cancellationToken);
        if (!emitted.Success) throw new InvalidOperationException($"{project.Name} did not emit: {string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}");
        return stream.ToArray();
    }

    private static Solution Apply(Solution solution, IReadOnlyList<FileChange> changes)
    {
        foreach (var change in changes)
        {
            foreach (var id in solution.GetDocumentIdsWithFilePath(change.Path)) solution = solution.WithDocumentText(id, SourceText.From(change.NewText));
        }
        return solution;
    }

    private static async Task<IReadOnlyList<Diagnostic>> ErrorsAsync(Solution solution, CancellationToken cancellationToken)
    {
        var errors = new List<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            errors.AddRange(compilation!.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error));
        }
        return errors;
    }

    private static string Key(Diagnostic diagnostic) => diagnostic.Id + "|" + diagnostic.GetMessage();

    private static string Usings(IEnumerable<string> namespaces) => string.Concat(namespaces.Select(n => $"global using {n};\n"));

    private static Solution AddDocuments(Solution solution, ProjectId project, string folder, IEnumerable<KeyValuePair<string, string>> files, Dictionary<string, string> diskTexts)
    {
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(folder, name);
            diskTexts[path] = text;
            solution = solution.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project, name), name,
                loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Create(), path)), filePath: path));
        }
        return solution;
    }

    private static IReadOnlyList<MetadataReference> LoadRuntimeReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
    }

    /// <summary>Resolves "Lib" to the freshly emitted library; everything else (xunit, the BCL) from the test process.</summary>
    private sealed class TestLoadContext(byte[] library) : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == "Lib" ? LoadFromStream(new MemoryStream(library)) : null;
    }
}
