using OCI.Workspace.Files;

namespace OCI.LanguageServer.Cli;

/// <summary>
/// The bytes of a workspace's files as they were when <c>oci refine</c> started (before the load the engine works
/// from): the printed diff is against these, and <c>--apply</c> refuses to overwrite a file whose bytes are no longer
/// these (the user or a tool changed it while the run went on; the server's path has the document version check for this).
/// Build output and tool folders are left out (<see cref="WorkspaceTree"/>); so are files too large to be source.
/// </summary>
internal sealed class WorkspaceFilesAtStart
{
    private const long MaxFileBytes = 4 * 1024 * 1024;
    private readonly Dictionary<string, byte[]> _files;

    private WorkspaceFilesAtStart(Dictionary<string, byte[]> files) => _files = files;

    public static async Task<WorkspaceFilesAtStart> TakeAsync(string folder, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Enumerate(folder))
        {
            try
            {
                files[Path.GetFullPath(path)] = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable now: not a file the engine can change either.
            }
        }
        return new WorkspaceFilesAtStart(files);
    }

    /// <summary>The file's text at the start; empty when it did not exist then.</summary>
    public string TextAtStart(string path) =>
        _files.TryGetValue(Path.GetFullPath(path), out var bytes) ? DecodedText(bytes) : "";

    /// <summary>Whether the file started with a UTF-8 byte order mark (kept in the diff and by --apply).</summary>
    public bool HadUtf8ByteOrderMark(string path) =>
        _files.TryGetValue(Path.GetFullPath(path), out var bytes) && bytes.AsSpan().StartsWith(Utf8ByteOrderMark);

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Whether the file on disk now differs from the start (changed, created or deleted since).</summary>
    public bool ChangedSinceStart(string path)
    {
        var full = Path.GetFullPath(path);
        var existedAtStart = _files.TryGetValue(full, out var atStart);
        if (!File.Exists(full)) return existedAtStart;
        if (!existedAtStart) return true;
        var info = new FileInfo(full);
        return info.Length != atStart!.Length || !File.ReadAllBytes(full).AsSpan().SequenceEqual(atStart);
    }

    /// <summary>As File.ReadAllText decodes: UTF-8 unless a byte order mark says otherwise, the mark itself dropped.</summary>
    private static string DecodedText(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The workspace's files (<see cref="WorkspaceTree"/>'s walk) small enough to be source.</summary>
    private static IEnumerable<string> Enumerate(string folder) =>
        WorkspaceTree.Files(folder).Where(file => new FileInfo(file).Length <= MaxFileBytes);
}
