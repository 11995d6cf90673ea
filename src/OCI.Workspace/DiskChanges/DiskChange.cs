namespace OCI.Workspace.DiskChanges;

/// <summary>What happened to a file on disk, as an editor's file watcher reports it.</summary>
public enum DiskChangeKind { Created, Changed, Deleted }

/// <summary>One file changed on disk outside the editor (a checkout, a pull, a generator).</summary>
public sealed record DiskChange(string Path, DiskChangeKind Kind)
{
    /// <summary>
    /// Files whose change alters what is loaded (projects, solutions, MSBuild imports, package versions, the SDK):
    /// only a reload of the solution takes them in.
    /// </summary>
    public bool RequiresReload
    {
        get
        {
            var name = System.IO.Path.GetFileName(Path);
            var extension = System.IO.Path.GetExtension(Path);
            return extension.ToLowerInvariant() is ".csproj" or ".props" or ".targets" or ".sln" or ".slnx"
                || name.Equals("packages.lock.json", StringComparison.OrdinalIgnoreCase)
                || name.Equals("global.json", StringComparison.OrdinalIgnoreCase);
        }
    }

    public bool IsSource => System.IO.Path.GetExtension(Path).Equals(".cs", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// What a batch of disk changes did to the loaded solution: the projects whose documents changed (what caches of those
/// projects and of the projects that depend on them must drop), and the files that need a reload to be taken in.
/// </summary>
public sealed record DiskChangeEffect(IReadOnlyList<string> ChangedProjects, IReadOnlyList<string> ReloadTriggers)
{
    public static DiskChangeEffect None { get; } = new([], []);

    public bool RequiresReload => ReloadTriggers.Count > 0;
}
