using System.Security.Cryptography;
using OCI.TestHost;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Shadow;

/// <summary>
/// The results of test rounds by what they ran on: a round whose inputs are those of an earlier one takes that round's
/// results for the tests it ran and runs only the others. Inputs are the check's sources (every file of the user's tree
/// and the editor's texts with the candidate's: <see cref="ShadowWorkspace.InputFingerprint"/>), every file of each test
/// assembly's folder by content, and the working folder. Why: a fix-it restores the text the user had before a typo, so
/// typo after typo is checked on the very binaries the previous fix-it's tests ran on (nothing is emitted: the shadow's
/// outputs are that state's build), and its reaching tests are mostly the same tests; running them again told nothing
/// new and cost half of each keystroke's second.
/// </summary>
/// <remarks>
/// Assumes what any test cache assumes: a test gives the same result on the same binaries, sources and folders (a test
/// that depends on the clock or on files outside the tree may not). The whole suite of every confirmation still runs.
/// Only filters of test names (alternatives of <c>FullyQualifiedName~name</c> or <c>=name</c>, as the engine writes
/// them) are answered, clause by clause; a clause is answered by an earlier round that ran the same clause, or by an
/// earlier whole suite where every result carries its qualified name.
/// </remarks>
internal sealed class TestOutcomeMemo
{
    private const int Capacity = 16;

    private readonly object _lock = new();
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<string, (long Length, DateTime Written, string Hash)> _fileHashes = new(StringComparer.Ordinal);

    /// <summary>
    /// The inputs of a round of <paramref name="assemblies"/> run in <paramref name="workingDirectory"/> on the sources
    /// <paramref name="sourceState"/> names; null when a folder cannot be read.
    /// </summary>
    public string? KeyOf(string sourceState, IReadOnlyList<string> assemblies, string workingDirectory) =>
        InputsOf(sourceState, assemblies, workingDirectory)?.Key;

    /// <summary>
    /// <see cref="KeyOf"/>, with the files it read (path and content hash): what a run changed is told by comparing
    /// them before and after it (<see cref="OnlyAdded"/>).
    /// </summary>
    public RoundInputs? InputsOf(string sourceState, IReadOnlyList<string> assemblies, string workingDirectory)
    {
        var parts = new List<string> { sourceState, workingDirectory };
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in assemblies.Order(StringComparer.Ordinal))
        {
            if (Path.GetDirectoryName(assembly) is not { } folder || FolderIdentity(folder, files) is not { } identity) return null;
            parts.Add(assembly + "\0" + identity);
        }
        return new(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", parts)))), files);
    }

    /// <summary>
    /// True when <paramref name="after"/> has every file of <paramref name="before"/> with the same content, and more:
    /// the run only added files (a log, benchmark artifacts), so its results hold for the folders as it left them too.
    /// </summary>
    public static bool OnlyAdded(RoundInputs before, RoundInputs after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Files.All(f => after.Files.TryGetValue(f.Key, out var hash) && hash == f.Value);
    }

    /// <summary>
    /// The clauses of <paramref name="filter"/> when it is one the memo answers (alternatives of test names); null otherwise.
    /// </summary>
    public static IReadOnlyList<TestNameClause>? ClausesOf(string? filter) =>
        filter is not null
        && TestFilterTranslation.Translate(filter) is { MatchAll: false, Clauses: { Count: > 0 } clauses }
        && clauses.All(c => c is { Field: "FullyQualifiedName", Operator: "~" or "=" })
            ? clauses
            : null;

    /// <summary>Earlier results of <paramref name="key"/> for each clause they answer, and the clauses none answers.</summary>
    public (IReadOnlyList<TestCaseResult> Results, IReadOnlyList<TestNameClause> Unanswered) Lookup(string key, IReadOnlyList<TestNameClause> clauses)
    {
        var results = new List<TestCaseResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unanswered = new List<TestNameClause>();
        lock (_lock)
        {
            var entries = _entries.Where(e => e.Key == key).ToList();
            foreach (var clause in clauses)
            {
                IReadOnlyList<TestCaseResult>? answer = null;
                foreach (var entry in entries)
                {
                    if (entry.PerClause.TryGetValue(Text(clause), out var ran))
                    {
                        answer = ran;
                        break;
                    }
                    if (entry.WholeSuite is { } all && all.Where(r => Matches(r, clause)).ToList() is { Count: > 0 } selected)
                    {
                        answer = selected;
                        break;
                    }
                }
                if (answer is null)
                {
                    unanswered.Add(clause);
                    continue;
                }
                foreach (var result in answer)
                {
                    if (seen.Add(result.Name)) results.Add(result);
                }
            }
        }
        return (results, unanswered);
    }

    /// <summary>
    /// Keeps a round's results under <paramref name="key"/>: per clause of <paramref name="clauses"/> (the results it
    /// selects; a clause that selected none is not kept), or as a whole suite when null.
    /// </summary>
    public void Record(string key, IReadOnlyList<TestNameClause>? clauses, IReadOnlyList<TestCaseResult> results)
    {
        var perClause = new Dictionary<string, IReadOnlyList<TestCaseResult>>(StringComparer.Ordinal);
        IReadOnlyList<TestCaseResult>? wholeSuite = null;
        if (clauses is null)
        {
            // A whole suite answers a clause only if every result can be matched by its name as a filter would.
            if (results.All(r => QualifiedName(r) is not null)) wholeSuite = results;
        }
        else
        {
            foreach (var clause in clauses)
            {
                var selected = results.Where(r => Matches(r, clause)).ToList();
                if (selected.Count > 0) perClause[Text(clause)] = selected;
            }
        }
        if (wholeSuite is null && perClause.Count == 0) return;
        lock (_lock)
        {
            _entries.AddFirst(new Entry(key, perClause, wholeSuite));
            while (_entries.Count > Capacity) _entries.RemoveLast();
        }
    }

    /// <summary>A result's test method as a filter names it: the name before a case's arguments; null when it is not a qualified name (a display name).</summary>
    private static string? QualifiedName(TestCaseResult result)
    {
        var name = result.Name;
        var end = name.IndexOfAny(['(', '<']);
        if (end >= 0) name = name[..end];
        return name.Contains('.', StringComparison.Ordinal) && !name.Contains(' ', StringComparison.Ordinal) ? name : null;
    }

    private static bool Matches(TestCaseResult result, TestNameClause clause) =>
        QualifiedName(result) is { } name
        && (clause.Operator == "=" ? name == clause.Value : name.Contains(clause.Value, StringComparison.Ordinal));

    private static string Text(TestNameClause clause) => clause.Field + clause.Operator + clause.Value;

    /// <summary>Every file of <paramref name="folder"/> (and below) by relative path and content; null when it cannot be read.</summary>
    private string? FolderIdentity(string folder, Dictionary<string, string> files)
    {
        try
        {
            var lines = new List<string>();
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var info = new FileInfo(file);
                string hash;
                lock (_lock)
                {
                    if (_fileHashes.TryGetValue(file, out var known) && known.Length == info.Length && known.Written == info.LastWriteTimeUtc)
                    {
                        hash = known.Hash;
                    }
                    else
                    {
                        using var stream = File.OpenRead(file);
                        hash = Convert.ToHexStringLower(SHA256.HashData(stream));
                        _fileHashes[file] = (info.Length, info.LastWriteTimeUtc, hash);
                    }
                }
                lines.Add(Path.GetRelativePath(folder, file) + "\0" + hash);
                files[file] = hash;
            }
            lines.Sort(StringComparer.Ordinal);
            return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A round's key, and every file of its assemblies' folders by path, with its content hash.</summary>
    public sealed record RoundInputs(string Key, IReadOnlyDictionary<string, string> Files);

    private sealed record Entry(string Key, IReadOnlyDictionary<string, IReadOnlyList<TestCaseResult>> PerClause, IReadOnlyList<TestCaseResult>? WholeSuite);
}
