using System.Security.Cryptography;
using System.Text;
using OCI.Workspace.Files;

namespace OCI.Workspace.Shadow;

/// <summary>What one synchronisation wrote into the shadow copy.</summary>
public sealed record ShadowSyncResult(IReadOnlyList<string> WrittenFiles, IReadOnlyList<string> DeletedFiles, bool ProjectFilesChanged);

/// <summary>
/// A private copy of the user's workspace where real builds and tests run, kept warm between rounds. Its bin/obj are
/// its own, so MSBuild's incremental build makes later rounds cheap. Each round it is brought to "user's files, then
/// the overlays, then the candidate's changes": only files whose content differs are written (a rewrite gets a fresh
/// time stamp, so MSBuild sees it as newer than its outputs), files the user deleted (or that a test deleted or created
/// in the copy) are removed or restored. Nothing here ever writes to the user's tree: every write goes through
/// <see cref="ToShadowPath"/>, which refuses paths outside the copy.
/// </summary>
public sealed class ShadowWorkspace : IDisposable
{
    private static readonly string[] AncestorConfigFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>Project and build files: a change to one of them means the next build restores again.</summary>
    private static readonly string[] ProjectFileSuffixes =
        [".csproj", ".props", ".targets", ".sln", ".slnx", "global.json", "nuget.config", ".fsproj", ".vbproj"];

    private readonly Dictionary<string, FileState> _manifest = new(StringComparer.Ordinal);
    private readonly FileStream _lock;
    private bool _copied;

    private ShadowWorkspace(string userRoot, string container, string root, FileStream lockStream)
    {
        UserRoot = userRoot;
        Container = container;
        Root = root;
        _lock = lockStream;
    }

    /// <summary>The user's workspace root (never written to).</summary>
    public string UserRoot { get; }

    /// <summary>The copy of <see cref="UserRoot"/>.</summary>
    public string Root { get; }

    /// <summary>The folder holding <see cref="Root"/>, the nearest ancestor build files, and the redirected HOME/TMP.</summary>
    public string Container { get; }

    /// <summary>HOME for the processes that run generated code.</summary>
    public string HomeDirectory => Path.Combine(Container, "home");

    /// <summary>TMP for the processes that run generated code.</summary>
    public string TempDirectory => Path.Combine(Container, "tmp");

    /// <summary>True until the first build has restored packages (or a project file changed since).</summary>
    public bool NeedsRestore { get; set; } = true;

    /// <summary>
    /// Claims a shadow folder for <paramref name="userRoot"/> under <paramref name="shadowBase"/> (a stable name per root,
    /// so a restarted server finds its warm copy; a lock file keeps two live processes from sharing one).
    /// </summary>
    public static ShadowWorkspace Create(string userRoot, string? shadowBase)
    {
        userRoot = Path.GetFullPath(userRoot).TrimEnd(Path.DirectorySeparatorChar);
        var baseFolder = Path.GetFullPath(shadowBase ?? Path.Combine(Path.GetTempPath(), "oci-shadow"));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userRoot)))[..16];
        for (var attempt = 0; ; attempt++)
        {
            var container = Path.Combine(baseFolder, attempt == 0 ? key : $"{key}-{attempt}");
            if (IsInside(container, userRoot) || IsInside(userRoot, container))
                throw new InvalidOperationException($"The shadow folder {container} must not overlap the workspace {userRoot}.");
            Directory.CreateDirectory(container);
            try
            {
                var lockStream = new FileStream(Path.Combine(container, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var root = Path.Combine(container, "ws");
                return new ShadowWorkspace(userRoot, container, root, lockStream);
            }
            catch (IOException) when (attempt < 16)
            {
                // Another live process holds this copy; take the next one.
            }
        }
    }

    public string ToShadowPath(string userPath)
    {
        var full = Path.GetFullPath(userPath);
        if (!IsInside(full, UserRoot)) throw new ArgumentException($"{userPath} is outside the workspace {UserRoot}.", nameof(userPath));
        var shadow = Path.Combine(Root, Path.GetRelativePath(UserRoot, full));
        if (!IsInside(shadow, Root)) throw new ArgumentException($"{userPath} does not map into the shadow copy.", nameof(userPath));
        return shadow;
    }

    /// <summary>The user's path for a path inside the copy, or null when it lies outside it.</summary>
    public string? ToUserPath(string shadowPath)
    {
        if (!Path.IsPathRooted(shadowPath)) return null;
        var full = Path.GetFullPath(shadowPath);
        if (IsInside(full, Root)) return Path.Combine(UserRoot, Path.GetRelativePath(Root, full));
        if (IsInside(full, UserRoot)) return full;
        return null;
    }

    /// <summary>
    /// Brings the copy to the user's files with <paramref name="texts"/> (overlays and candidate changes, by user path)
    /// laid over them. The first call copies everything (bin/obj/.git/node_modules skipped: <see cref="WorkspaceTree"/>).
    /// </summary>
    public ShadowSyncResult Synchronize(IReadOnlyDictionary<string, string> texts, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(TempDirectory);
        if (!_copied)
        {
            CopyAncestorConfigFiles();
            _copied = true;
        }

        var written = new List<string>();
        var deleted = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var relativeTexts = texts
            .Where(t => IsInside(Path.GetFullPath(t.Key), UserRoot))
            .ToDictionary(t => Path.GetRelativePath(UserRoot, Path.GetFullPath(t.Key)), t => t.Value, StringComparer.Ordinal);

        foreach (var userFile in EnumerateFiles(UserRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(UserRoot, userFile);
            seen.Add(relative);
            if (relativeTexts.ContainsKey(relative)) continue;
            var info = new FileInfo(userFile);
            var shadowFile = Path.Combine(Root, relative);
            var source = new Source(info.Length, info.LastWriteTimeUtc, null);
            if (IsCurrent(relative, shadowFile, source)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(shadowFile)!);
            File.Copy(userFile, shadowFile, overwrite: true);
            // File.Copy keeps the user's (older) time stamp; MSBuild would then think the outputs are up to date.
            File.SetLastWriteTimeUtc(shadowFile, DateTime.UtcNow);
            Record(relative, shadowFile, source);
            written.Add(relative);
        }

        foreach (var (relative, text) in relativeTexts)
        {
            seen.Add(relative);
            var shadowFile = Path.Combine(Root, relative);
            var bytes = Encoding.UTF8.GetBytes(text);
            var source = new Source(bytes.Length, DateTime.MinValue, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            if (IsCurrent(relative, shadowFile, source)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(shadowFile)!);
            File.WriteAllBytes(shadowFile, bytes);
            Record(relative, shadowFile, source);
            written.Add(relative);
        }

        // Files the user no longer has, and files that something run in the copy created outside bin/obj.
        foreach (var shadowFile in EnumerateFiles(Root).ToList())
        {
            var relative = Path.GetRelativePath(Root, shadowFile);
            if (seen.Contains(relative)) continue;
            File.Delete(shadowFile);
            _manifest.Remove(relative);
            deleted.Add(relative);
        }

        var projectFilesChanged = written.Concat(deleted).Any(IsProjectFile);
        if (projectFilesChanged) NeedsRestore = true;
        return new ShadowSyncResult(written, deleted, projectFilesChanged);
    }

    /// <summary>
    /// A digest of everything <see cref="Synchronize"/> would bring into the copy: every user file it copies (path,
    /// length, write time) and every text laid over them (path, content hash). Two equal fingerprints mean the copy would
    /// build and test the same inputs, so a check of one stands for the other.
    /// </summary>
    public static string InputFingerprint(string userRoot, IReadOnlyDictionary<string, string> texts)
    {
        userRoot = Path.GetFullPath(userRoot).TrimEnd(Path.DirectorySeparatorChar);
        var fullTexts = texts.ToDictionary(t => Path.GetFullPath(t.Key), t => t.Value, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var userFile in EnumerateFiles(userRoot))
        {
            if (fullTexts.ContainsKey(userFile)) continue;
            var info = new FileInfo(userFile);
            lines.Add($"file\0{Path.GetRelativePath(userRoot, userFile)}\0{info.Length}\0{info.LastWriteTimeUtc.Ticks}");
        }
        foreach (var (path, text) in fullTexts)
        {
            lines.Add($"text\0{path}\0{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}");
        }
        lines.Sort(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    /// <summary>Gives these files (user paths) a fresh time stamp in the copy so that MSBuild recompiles them.</summary>
    public void TouchSources(IEnumerable<string> userPaths)
    {
        foreach (var path in userPaths)
        {
            var shadowFile = ToShadowPath(path);
            if (!File.Exists(shadowFile)) continue;
            File.SetLastWriteTimeUtc(shadowFile, DateTime.UtcNow);
            var relative = Path.GetRelativePath(Root, shadowFile);
            if (_manifest.TryGetValue(relative, out var state)) _manifest[relative] = state with { ShadowWriteTime = File.GetLastWriteTimeUtc(shadowFile) };
        }
    }

    /// <summary>A folder inside the copy for one round's test results, emptied first.</summary>
    public string FreshResultsDirectory()
    {
        var directory = Path.Combine(Container, "results");
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public void Dispose() => _lock.Dispose();

    public static bool IsInside(string path, string folder)
    {
        var fullPath = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var fullFolder = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        return fullPath.Equals(fullFolder, StringComparison.Ordinal)
            || fullPath.StartsWith(fullFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static bool IsProjectFile(string relative) =>
        ProjectFileSuffixes.Any(s => relative.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    private bool IsCurrent(string relative, string shadowFile, Source source)
    {
        if (!_manifest.TryGetValue(relative, out var state) || state.Source != source) return false;
        var info = new FileInfo(shadowFile);
        return info.Exists && info.Length == state.ShadowLength && info.LastWriteTimeUtc == state.ShadowWriteTime;
    }

    private void Record(string relative, string shadowFile, Source source)
    {
        var info = new FileInfo(shadowFile);
        _manifest[relative] = new FileState(source, info.Length, info.LastWriteTimeUtc);
    }

    private void CopyAncestorConfigFiles()
    {
        // Directory.Build.props, global.json … above the root shape the build; the nearest of each is placed beside the copy.
        foreach (var name in AncestorConfigFiles)
        {
            for (var directory = Directory.GetParent(UserRoot); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, name);
                if (!File.Exists(candidate)) continue;
                File.Copy(candidate, Path.Combine(Container, name), overwrite: true);
                break;
            }
        }
    }

    private static IEnumerable<string> EnumerateFiles(string root) => WorkspaceTree.Files(root);

    /// <summary>Where a shadow file's content came from: the user's file (length, time) or a text (hash).</summary>
    private sealed record Source(long Length, DateTime WriteTime, string? TextHash);

    private sealed record FileState(Source Source, long ShadowLength, DateTime ShadowWriteTime);
}
