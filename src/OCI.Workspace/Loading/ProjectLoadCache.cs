using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.Extensions.Logging;
using OCI.Workspace.Files;

namespace OCI.Workspace.Loading;

/// <summary>
/// What MSBuild's design-time build said about each project at the last load (compiler options, references, source
/// files), persisted so that a restarted server has a Roslyn solution at once while MSBuild confirms in the background
/// (<see cref="WorkspaceLoader"/>). Stored under the shadow base folder (<c>load-cache/</c>, beside the shadow copies,
/// outside every copy a sandboxed build may write and never in the user's tree). Valid only while the inputs of the
/// design-time build are unchanged: the project files, the MSBuild files imported from their folders up to the root
/// (Directory.Build.*, Directory.Packages.props, global.json, NuGet.config), the restore output in obj/, the solution
/// file, the SDK, and the set of C# files in each project folder (not their contents: editing code keeps it valid). C# projects only; no analyzers or source generators
/// (the confirming MSBuild load brings them).
/// </summary>
internal static class ProjectLoadCache
{
    private const int FormatVersion = 1;

    private static readonly string[] ImportedFileNames =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config", "NuGet.Config"];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The cache file for a workspace root: a stable name per root, like the shadow copy's.</summary>
    public static string PathFor(string workspaceRoot, string? shadowBase)
    {
        var root = Path.GetFullPath(workspaceRoot).TrimEnd(Path.DirectorySeparatorChar);
        var baseFolder = Path.GetFullPath(shadowBase ?? Path.Combine(Path.GetTempPath(), "oci-shadow"));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16];
        return Path.Combine(baseFolder, "load-cache", key + ".json");
    }

    /// <summary>Writes what MSBuild loaded (C# projects only; nothing when there is none). Never throws.</summary>
    public static void Save(string cachePath, string? solutionPath, Solution solution, WorkspaceLoadReport report, ILogger logger)
    {
        try
        {
            var projects = solution.Projects.Where(p => p.Language == LanguageNames.CSharp && p.FilePath is not null).ToList();
            if (projects.Count == 0 || projects.Count != solution.ProjectIds.Count) return; // another language, or a project without a file
            var cached = projects.Select(p => CachedProject.From(p, solution)).ToList();
            var inputs = InputKey(report.Root, solutionPath, cached);
            var file = new CacheFile(FormatVersion, report.Root, solutionPath, inputs, cached, [.. report.LoadedProjects], [.. report.Problems]);
            Directory.CreateDirectory(Path.GetDirectoryName(cachePath)!);
            var temporary = cachePath + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(file, Json));
            File.Move(temporary, cachePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            logger.LogDebug(e, "The project load cache was not written");
        }
    }

    /// <summary>The cached solution in a workspace of its own, or null when there is none or its inputs changed.</summary>
    public static (AdhocWorkspace Workspace, Solution Solution, WorkspaceLoadReport Report)? TryLoad(string cachePath, string workspaceRoot, string? solutionPath, ILogger logger)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        CacheFile? file;
        try
        {
            if (!File.Exists(cachePath)) return null;
            file = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(cachePath), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            logger.LogDebug(e, "The project load cache {Path} could not be read", cachePath);
            return null;
        }
        if (file is null || file.Version != FormatVersion || file.Root != workspaceRoot || file.SolutionPath != solutionPath) return null;
        if (InputKey(workspaceRoot, solutionPath, file.Projects) != file.Inputs)
        {
            logger.LogDebug("The project load cache is out of date (project, MSBuild, restore or source files changed)");
            return null;
        }

        var keyMs = watch.ElapsedMilliseconds;
        var workspace = new AdhocWorkspace(MSBuildMefHostServices.DefaultServices);
        var workspaceMs = watch.ElapsedMilliseconds - keyMs;
        try
        {
            var ids = file.Projects.ToDictionary(p => p.FilePath, p => ProjectId.CreateNewId(p.Name), StringComparer.Ordinal);
            var infos = file.Projects.Select(p => p.ToProjectInfo(ids)).ToList();
            workspace.AddSolution(SolutionInfo.Create(SolutionId.CreateNewId(), VersionStamp.Create(), solutionPath, infos));
            logger.LogDebug("Load timing: load cache read and checked in {KeyMs} ms, Roslyn workspace created in {WorkspaceMs} ms, solution in {SolutionMs} ms",
                keyMs, workspaceMs, watch.ElapsedMilliseconds - keyMs - workspaceMs);
            return (workspace, workspace.CurrentSolution, new WorkspaceLoadReport(workspaceRoot, file.LoadedProjects, file.Problems));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            workspace.Dispose();
            logger.LogDebug(e, "The project load cache {Path} could not be turned into a solution", cachePath);
            return null;
        }
    }

    /// <summary>A hash of every input of the design-time build the cache stands for (length and write time of each file).</summary>
    internal static string InputKey(string workspaceRoot, string? solutionPath, IReadOnlyList<CachedProject> projects)
    {
        var lines = new List<string>
        {
            $"format {FormatVersion}",
            $"msbuild {MSBuildRegistration.RegisteredPath}",
            $"properties {string.Join(';', WorkspaceLoader.DesignTimeBuildProperties.Select(p => p.Key + "=" + p.Value))}",
        };
        var files = new SortedSet<string>(StringComparer.Ordinal);
        if (solutionPath is not null) files.Add(solutionPath);
        foreach (var project in projects)
        {
            files.Add(project.FilePath);
            var folder = Path.GetDirectoryName(project.FilePath)!;
            foreach (var directory in FoldersUpTo(folder, workspaceRoot))
            {
                foreach (var name in ImportedFileNames) files.Add(Path.Combine(directory, name));
            }
            var obj = Path.Combine(folder, "obj");
            files.Add(Path.Combine(obj, "project.assets.json"));
            if (Directory.Exists(obj))
            {
                foreach (var generated in Directory.EnumerateFiles(obj, "*.nuget.g.*")) files.Add(generated);
            }
            // A C# file added or deleted in the project folder changes what the SDK's globs include.
            var sources = SourceFilesUnder(folder);
            lines.Add($"sources {project.FilePath} {string.Join('|', sources)}");
        }
        foreach (var path in files)
        {
            var info = new FileInfo(path);
            lines.Add(info.Exists ? $"{path} {info.Length} {info.LastWriteTimeUtc.Ticks}" : $"{path} absent");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary><paramref name="folder"/> and its parents up to <paramref name="root"/> (or the file system's root when it is not inside it).</summary>
    private static IEnumerable<string> FoldersUpTo(string folder, string root)
    {
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            yield return directory.FullName;
            if (string.Equals(directory.FullName.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) yield break;
        }
    }

    /// <summary>The .cs files under a project folder that the SDK's default globs see (bin, obj and the like skipped), sorted.</summary>
    private static List<string> SourceFilesUnder(string folder)
    {
        var found = new List<string>();
        found.AddRange(WorkspaceTree.Files(folder, "*.cs", unreadable: directory => found.Add(directory + " unreadable")));
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    internal sealed record CacheFile(
        int Version, string Root, string? SolutionPath, string Inputs, List<CachedProject> Projects, List<string> LoadedProjects, List<string> Problems);

    internal sealed record CachedReference(string Path, List<string> Aliases, bool EmbedInteropTypes);

    internal sealed record CachedProject(
        string Name,
        string AssemblyName,
        string FilePath,
        string? OutputFilePath,
        string? OutputRefFilePath,
        string? DefaultNamespace,
        CachedCompilationOptions Options,
        CachedParseOptions Parse,
        List<string> Documents,
        List<string> AdditionalDocuments,
        List<string> AnalyzerConfigDocuments,
        List<CachedReference> MetadataReferences,
        List<CachedReference> ProjectReferences)
    {
        public static CachedProject From(Project project, Solution solution) => new(
            project.Name,
            project.AssemblyName,
            project.FilePath!,
            project.OutputFilePath,
            project.OutputRefFilePath,
            project.DefaultNamespace,
            CachedCompilationOptions.From((CSharpCompilationOptions)project.CompilationOptions!),
            CachedParseOptions.From((CSharpParseOptions)project.ParseOptions!),
            [.. project.Documents.Select(d => d.FilePath).OfType<string>()],
            [.. project.AdditionalDocuments.Select(d => d.FilePath).OfType<string>()],
            [.. project.AnalyzerConfigDocuments.Select(d => d.FilePath).OfType<string>()],
            [.. project.MetadataReferences.OfType<PortableExecutableReference>().Where(r => r.FilePath is not null)
                .Select(r => new CachedReference(r.FilePath!, [.. r.Properties.Aliases], r.Properties.EmbedInteropTypes))],
            [.. project.ProjectReferences.Select(r => (Reference: r, Path: solution.GetProject(r.ProjectId)?.FilePath)).Where(r => r.Path is not null)
                .Select(r => new CachedReference(r.Path!, [.. r.Reference.Aliases], r.Reference.EmbedInteropTypes))]);

        public ProjectInfo ToProjectInfo(IReadOnlyDictionary<string, ProjectId> ids)
        {
            var id = ids[FilePath];
            DocumentInfo Document(string path) => DocumentInfo.Create(
                DocumentId.CreateNewId(id, path), Path.GetFileName(path), FoldersOf(path), SourceCodeKind.Regular,
                new FileTextLoader(path, defaultEncoding: null), path);
            return ProjectInfo.Create(
                    id, VersionStamp.Create(), Name, AssemblyName, LanguageNames.CSharp, FilePath, OutputFilePath,
                    Options.ToOptions(), Parse.ToOptions(),
                    Documents.Select(Document),
                    ProjectReferences.Where(r => ids.ContainsKey(r.Path))
                        .Select(r => new ProjectReference(ids[r.Path], [.. r.Aliases], r.EmbedInteropTypes)),
                    // Read lazily (MetadataReference.CreateFromFile would read every whole file now: hundreds of framework assemblies).
                    MetadataReferences.Where(r => File.Exists(r.Path))
                        .Select(r => AssemblyMetadata.CreateFromFile(r.Path).GetReference(aliases: [.. r.Aliases], embedInteropTypes: r.EmbedInteropTypes, filePath: r.Path)),
                    additionalDocuments: AdditionalDocuments.Select(Document),
                    outputRefFilePath: OutputRefFilePath)
                .WithDefaultNamespace(DefaultNamespace)
                .WithAnalyzerConfigDocuments(AnalyzerConfigDocuments.Select(Document));
        }

        private IReadOnlyList<string> FoldersOf(string path)
        {
            var relative = Path.GetRelativePath(Path.GetDirectoryName(FilePath)!, Path.GetDirectoryName(path)!);
            return relative == "." || relative.StartsWith("..", StringComparison.Ordinal) ? [] : relative.Split(Path.DirectorySeparatorChar);
        }
    }

    /// <summary>The compiler options that decide diagnostics and binding (what csc's command line set).</summary>
    internal sealed record CachedCompilationOptions(
        OutputKind OutputKind,
        string? ModuleName,
        string? MainTypeName,
        OptimizationLevel OptimizationLevel,
        bool CheckOverflow,
        bool AllowUnsafe,
        string? CryptoKeyFile,
        bool? DelaySign,
        bool PublicSign,
        Platform Platform,
        ReportDiagnostic GeneralDiagnosticOption,
        int WarningLevel,
        Dictionary<string, ReportDiagnostic> SpecificDiagnosticOptions,
        bool Deterministic,
        NullableContextOptions Nullable)
    {
        public static CachedCompilationOptions From(CSharpCompilationOptions o) => new(
            o.OutputKind, o.ModuleName, o.MainTypeName, o.OptimizationLevel, o.CheckOverflow, o.AllowUnsafe, o.CryptoKeyFile, o.DelaySign,
            o.PublicSign, o.Platform, o.GeneralDiagnosticOption, o.WarningLevel,
            o.SpecificDiagnosticOptions.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), o.Deterministic, o.NullableContextOptions);

        public CSharpCompilationOptions ToOptions() => new CSharpCompilationOptions(
                OutputKind,
                moduleName: ModuleName,
                mainTypeName: MainTypeName,
                optimizationLevel: OptimizationLevel,
                checkOverflow: CheckOverflow,
                allowUnsafe: AllowUnsafe,
                cryptoKeyFile: CryptoKeyFile,
                delaySign: DelaySign,
                platform: Platform,
                generalDiagnosticOption: GeneralDiagnosticOption,
                warningLevel: WarningLevel,
                specificDiagnosticOptions: SpecificDiagnosticOptions,
                deterministic: Deterministic,
                publicSign: PublicSign,
                nullableContextOptions: Nullable)
            .WithStrongNameProvider(new DesktopStrongNameProvider());
    }

    internal sealed record CachedParseOptions(LanguageVersion LanguageVersion, DocumentationMode DocumentationMode, List<string> PreprocessorSymbols, Dictionary<string, string> Features)
    {
        public static CachedParseOptions From(CSharpParseOptions o) => new(
            o.SpecifiedLanguageVersion, o.DocumentationMode, [.. o.PreprocessorSymbolNames], o.Features.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

        public CSharpParseOptions ToOptions() =>
            new CSharpParseOptions(LanguageVersion, DocumentationMode, SourceCodeKind.Regular, PreprocessorSymbols).WithFeatures(Features);
    }
}
