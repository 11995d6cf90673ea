using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using OCI.Engine.Refine;
using OCI.Workspace.Processes;
using OCI.Workspace.Verification;

namespace OCI.HumanEval;

/// <summary>Limits of one candidate run.</summary>
/// <param name="SandboxRoot">Parent of the per-run sandbox folders; null: a fresh folder under the temp directory.</param>
/// <param name="MemoryLimitBytes">GC heap limit of the child (a memory bomb fails its problem, not the machine).</param>
/// <param name="Sandbox">Whether the child runs in the OS sandbox (as the editor's verification does).</param>
/// <param name="BubblewrapPath">The bwrap executable; null looks on the PATH.</param>
public sealed record HumanEvalVerifierOptions(
    TimeSpan Timeout,
    string? SandboxRoot = null,
    long MemoryLimitBytes = 1L << 30,
    bool KeepSandboxes = false,
    SandboxMode Sandbox = SandboxMode.Auto,
    string? BubblewrapPath = null)
{
    public static HumanEvalVerifierOptions Default { get; } = new(TimeSpan.FromSeconds(10));
}

/// <summary>
/// Grades a candidate program for real: Roslyn compiles it in memory (DEBUG defined, or every Debug.Assert would
/// vanish), then it runs as a child process (<c>dotnet exec</c>) in its own sandbox folder with a timeout. The
/// program is never trusted: it may loop, crash, exit early or delete files. An early <c>Environment.Exit(0)</c>
/// would look like success, so a random marker is printed after the last assertion and a pass requires it; the
/// assertions are bound to <c>System.Diagnostics.Debug</c> so that a helper class named Debug cannot replace them.
/// Each run has its own folder (cwd, HOME, TMPDIR) and is launched through <see cref="ProcessSandbox"/>, the same
/// launcher and environment the editor's verification uses: under bubblewrap only that folder is writable, there is no
/// network and nothing the program starts outlives it; without bubblewrap the folder is a convention, not a boundary.
/// </summary>
public sealed partial class HumanEvalVerifier : ICandidateVerifier, IDisposable
{
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithPreprocessorSymbols("DEBUG", "TRACE");

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.ConsoleApplication,
        optimizationLevel: OptimizationLevel.Debug,
        nullableContextOptions: NullableContextOptions.Disable,
        deterministic: true,
        concurrentBuild: false);

    private static readonly EmitOptions EmitOptions = new(debugInformationFormat: DebugInformationFormat.Embedded);

    private readonly HumanEvalVerifierOptions _options;
    private readonly ILogger _logger;
    private readonly string _sandboxRoot;
    private readonly ProcessSandbox _processSandbox;
    private readonly bool _ownsSandboxRoot;
    private int _runs;

    public HumanEvalVerifier(HumanEvalVerifierOptions options, ILogger logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _ownsSandboxRoot = options.SandboxRoot is null;
        _sandboxRoot = options.SandboxRoot ?? Path.Combine(Path.GetTempPath(), "oci-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_sandboxRoot);
        _processSandbox = ProcessSandbox.Create(options.Sandbox, options.BubblewrapPath);
    }

    /// <summary>How the candidates' programs are contained.</summary>
    public ProcessSandbox ProcessSandbox => _processSandbox;

    /// <summary>The dotnet host that runs candidates: the one of the running runtime, else dotnet on the PATH.</summary>
    public static string DotnetHost { get; } = FindDotnetHost();

    public async Task<VerificationResult> VerifyAsync(Candidate candidate, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var change = candidate.Changes.FirstOrDefault() ?? throw new ArgumentException("The candidate has no program.", nameof(candidate));
        var name = Path.GetFileNameWithoutExtension(change.Path);
        var source = change.NewText;
        var text = SourceText.From(source, Encoding.UTF8); // an encoding is what lets Roslyn embed the PDB (line numbers in stack traces)
        var lines = text.Lines;
        var marker = "OCI-TESTS-DONE-" + Guid.NewGuid().ToString("N");

        progress?.Report("compiling");
        var compileWatch = Stopwatch.StartNew();
        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, change.Path, cancellationToken: cancellationToken);
        var main = FindTestMain(tree.GetCompilationUnitRoot(cancellationToken));
        var asserts = main is null ? [] : AssertLines(main, tree);
        var compilation = CSharpCompilation.Create(
            "candidate",
            [main is null ? tree : Instrument(tree, main, marker)],
            ReferenceAssemblies.NetCoreApp,
            CompilationOptions);
        var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        byte[]? image = null;
        if (errors.Count == 0)
        {
            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream, options: EmitOptions, cancellationToken: cancellationToken);
            if (emit.Success) image = stream.ToArray();
            else errors = [.. emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        }
        compileWatch.Stop();
        if (image is null)
        {
            var diagnostics = errors.Select(d => ToDiagnostic(d, change.Path, lines)).ToList();
            return new VerificationResult(VerificationStatus.CompileErrors, diagnostics, [], CompileTime: compileWatch.Elapsed);
        }
        if (main is null)
        {
            return new VerificationResult(VerificationStatus.Crashed, [], [], "the program has no test Main in class Problem", CompileTime: compileWatch.Elapsed);
        }

        progress?.Report("running the tests");
        var sandbox = Path.Combine(_sandboxRoot, $"{name}-{Interlocked.Increment(ref _runs)}");
        try
        {
            var run = await RunAsync(sandbox, image, cancellationToken).ConfigureAwait(false);
            return Classify(run, marker, asserts, compileWatch.Elapsed);
        }
        finally
        {
            if (!_options.KeepSandboxes) TryDelete(sandbox);
        }
    }

    public void Dispose()
    {
        if (_ownsSandboxRoot && !_options.KeepSandboxes) TryDelete(_sandboxRoot);
    }

    private async Task<ProcessResult> RunAsync(string sandbox, byte[] image, CancellationToken cancellationToken)
    {
        var home = Path.Combine(sandbox, "home");
        var temp = Path.Combine(sandbox, "tmp");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        var dll = Path.Combine(sandbox, "candidate.dll");
        await File.WriteAllBytesAsync(dll, image, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(sandbox, "candidate.runtimeconfig.json"), RuntimeConfig(), cancellationToken).ConfigureAwait(false);
        var environment = ProcessSandbox.IsolatedEnvironment(home, temp);
        environment["DOTNET_gcServer"] = "0";
        environment["DOTNET_GCHeapHardLimit"] = _options.MemoryLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        environment["DOTNET_EnableDiagnostics"] = "0";
        environment["DOTNET_DbgEnableMiniDump"] = "0";
        var launch = new IsolatedLaunch(DotnetHost, ["exec", dll], sandbox, environment, [sandbox]);
        return await ProcessRunner.RunAsync(launch, _processSandbox, _options.Timeout, cancellationToken, 16 * 1024, floodLimit: 4L * 1024 * 1024)
            .ConfigureAwait(false);
    }

    private VerificationResult Classify(ProcessResult run, string marker, IReadOnlyList<(int Line, string Text)> asserts, TimeSpan compileTime)
    {
        VerificationResult Result(VerificationStatus status, IReadOnlyList<TestCaseResult> tests, string? message) =>
            new(status, [], tests, message, Tail(run.StandardOutput + run.StandardError), CompileTime: compileTime, TestTime: run.Elapsed);

        if (run.TimedOut)
        {
            return Result(VerificationStatus.TimedOut, [], $"no result within {_options.Timeout.TotalSeconds:0.#} s");
        }
        if (run.OutputLimitExceeded)
        {
            return Result(VerificationStatus.Crashed, [], $"the program wrote too much output ({run.OutputCharacters} characters) and was stopped");
        }
        if (run.ExitCode == 0 && run.StandardOutput.Contains(marker, StringComparison.Ordinal))
        {
            return Result(VerificationStatus.Passed, [.. asserts.Select(a => new TestCaseResult(a.Text, TestOutcome.Passed, Line: a.Line))], null);
        }
        if (run.ExitCode == 0)
        {
            _logger.LogDebug("A candidate exited with 0 before its tests finished");
            return Result(VerificationStatus.Crashed, [], "the program exited (code 0) before all its tests ran");
        }

        var stderr = run.StandardError;
        var failedLine = MainFrameLine().Matches(stderr).Select(m => int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture)).FirstOrDefault();
        var assertion = stderr.Contains("Assertion failed", StringComparison.Ordinal);
        var exception = UnhandledException().Match(stderr);
        var message = assertion ? "assertion failed"
            : exception.Success ? exception.Groups["what"].Value.Trim()
            : $"exit code {run.ExitCode}: {FirstLine(stderr)}";
        var tests = PerAssert(asserts, failedLine, message);
        if (assertion) return Result(VerificationStatus.TestsFailed, tests, message);
        return Result(VerificationStatus.Crashed, tests, message);
    }

    /// <summary>Asserts before the failing line passed, the one on it failed, the rest never ran.</summary>
    private static List<TestCaseResult> PerAssert(IReadOnlyList<(int Line, string Text)> asserts, int failedLine, string message)
    {
        if (failedLine <= 0 || !asserts.Any(a => a.Line == failedLine)) return [];
        return [.. asserts.Select(a => a.Line < failedLine ? new TestCaseResult(a.Text, TestOutcome.Passed, Line: a.Line)
            : a.Line == failedLine ? new TestCaseResult(a.Text, TestOutcome.Failed, message, Line: a.Line)
            : new TestCaseResult(a.Text, TestOutcome.NotRun, Line: a.Line))];
    }

    private static MethodDeclarationSyntax? FindTestMain(CompilationUnitSyntax root) =>
        root.Members.OfType<ClassDeclarationSyntax>()
            .Where(c => c.Identifier.ValueText == "Problem")
            .SelectMany(c => c.Members.OfType<MethodDeclarationSyntax>())
            .LastOrDefault(m => m.Identifier.ValueText == "Main" && m.Body is not null);

    private static List<(int Line, string Text)> AssertLines(MethodDeclarationSyntax main, SyntaxTree tree) =>
        [.. main.Body!.Statements
            .Where(s => s.ToString().Contains("Debug.Assert(", StringComparison.Ordinal))
            .Select(s => (tree.GetLineSpan(s.Span).StartLinePosition.Line + 1, s.ToString().Trim()))];

    /// <summary>
    /// Prints the marker after the last statement of Main and binds the asserts to System.Diagnostics.Debug. Both edits
    /// stay on their lines, so line numbers in diagnostics and stack traces still match the candidate's program.
    /// </summary>
    private static SyntaxTree Instrument(SyntaxTree tree, MethodDeclarationSyntax main, string marker)
    {
        var text = tree.GetText();
        var body = main.Body!;
        var changes = new List<TextChange>
        {
            new(new TextSpan(body.CloseBraceToken.SpanStart, 0), $"global::System.Console.Out.WriteLine(\"{marker}\"); global::System.Console.Out.Flush(); "),
        };
        foreach (var access in body.DescendantNodes().OfType<MemberAccessExpressionSyntax>())
        {
            if (access.Expression is IdentifierNameSyntax { Identifier.ValueText: "Debug" } && access.Name.Identifier.ValueText == "Assert")
            {
                changes.Add(new TextChange(access.Expression.Span, "global::System.Diagnostics.Debug"));
            }
        }
        return tree.WithChangedText(text.WithChanges(changes));
    }

    private static CompilerDiagnostic ToDiagnostic(Diagnostic diagnostic, string path, TextLineCollection lines)
    {
        var span = diagnostic.Location.GetLineSpan();
        var line = span.StartLinePosition.Line;
        var sourceLine = line >= 0 && line < lines.Count ? lines[line].ToString() : null;
        return new CompilerDiagnostic(
            diagnostic.Id,
            DiagnosticSeverityLevel.Error,
            diagnostic.GetMessage(CultureInfo.InvariantCulture),
            path,
            line + 1,
            span.StartLinePosition.Character + 1,
            sourceLine);
    }

    private static string RuntimeConfig()
    {
        var version = Environment.Version;
        return $$"""
            {
              "runtimeOptions": {
                "tfm": "net{{version.Major}}.{{version.Minor}}",
                "framework": { "name": "Microsoft.NETCore.App", "version": "{{version.Major}}.{{version.Minor}}.0" },
                "configProperties": { "System.Globalization.Invariant": true }
              }
            }
            """;
    }

    private static string FindDotnetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (ReferenceAssemblies.DotnetRoot is { } root && File.Exists(Path.Combine(root, executable))) return Path.Combine(root, executable);
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return executable;
    }

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug(e, "Could not delete the sandbox {Directory}", directory);
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    [GeneratedRegex(@"at Problem\.Main\(.*?\) in .*?:line (?<line>\d+)")]
    private static partial Regex MainFrameLine();

    [GeneratedRegex(@"Unhandled exception\.\s*(?<what>[^\r\n]*)")]
    private static partial Regex UnhandledException();
}
