using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace OCI.Workspace.Processes;

/// <summary>
/// The one launcher of processes that run generated code. On Linux with bubblewrap (<c>bwrap</c>) every launch is
/// wrapped: the whole file system read-only, a private empty /tmp, the user's workspace hidden under an empty tmpfs,
/// only the launch's <see cref="IsolatedLaunch.WritablePaths"/> writable, no network (own network namespace), own PID
/// namespace (when the launched program ends, everything it started is killed with it) and own IPC namespace. Without
/// bubblewrap (other OSes, not installed, namespaces not permitted) the launch runs unwrapped under
/// <see cref="SandboxMode.Auto"/>, and <see cref="Status"/> says so; <see cref="SandboxMode.Required"/> refuses instead.
/// Restoring packages needs the network and runs no generated code: it happens before, outside (see DotnetBuild).
/// </summary>
public sealed class ProcessSandbox
{
    /// <summary>The marker variable every isolated launch carries; <see cref="ProcessReaper"/> finds a run's processes by it.</summary>
    public const string RunMarkerVariable = "OCI_RUN_ID";

    private const string InstallHint = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)";

    private static readonly ConcurrentDictionary<string, Lazy<string?>> Probes = new(StringComparer.Ordinal);

    private ProcessSandbox(SandboxMode mode, string? bubblewrap, string? unavailableReason)
    {
        Mode = mode;
        BubblewrapPath = bubblewrap;
        UnavailableReason = unavailableReason;
    }

    public SandboxMode Mode { get; }

    /// <summary>The bwrap executable when the sandbox is active, else null.</summary>
    public string? BubblewrapPath { get; }

    /// <summary>Whether launches are wrapped in bubblewrap.</summary>
    public bool IsActive => BubblewrapPath is not null;

    /// <summary>Why there is no sandbox (null when active).</summary>
    public string? UnavailableReason { get; }

    /// <summary>Non-null when generated code must not run: <see cref="SandboxMode.Required"/> without a sandbox.</summary>
    public string? Refusal => Mode == SandboxMode.Required && !IsActive
        ? $"generated code was not run: oci.verification.sandbox is 'required' but {UnavailableReason}"
        : null;

    /// <summary>One line for the status item and progress: what contains generated code now.</summary>
    public string Status => IsActive
        ? "sandbox: bubblewrap (read-only system, workspace hidden, no network, own process tree)"
        : Mode == SandboxMode.Required
            ? $"sandbox required but unavailable: {UnavailableReason}; generated code will not run"
            : Mode == SandboxMode.Off
                ? "NO SANDBOX (oci.verification.sandbox is off): generated code runs with your rights"
                : $"NO SANDBOX: generated code runs with your rights ({UnavailableReason})";

    /// <summary>A sandbox that never wraps (tests of unrelated things, the restore step).</summary>
    public static ProcessSandbox None { get; } = new(SandboxMode.Off, null, "the sandbox is off");

    /// <summary>
    /// Decides once how generated code is launched: checks the OS, finds bwrap (<paramref name="bubblewrapPath"/>, else
    /// <c>bwrap</c> on the PATH) and probes it with the same namespaces the launches use (cached per path).
    /// </summary>
    public static ProcessSandbox Create(SandboxMode mode, string? bubblewrapPath = null)
    {
        if (mode == SandboxMode.Off) return new ProcessSandbox(mode, null, "oci.verification.sandbox is off");
        if (!OperatingSystem.IsLinux())
        {
            var os = OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsWindows() ? "Windows" : "this OS";
            return new ProcessSandbox(mode, null, $"there is no sandbox on {os} (only Linux with bubblewrap)");
        }
        var path = bubblewrapPath is { Length: > 0 } configured ? configured : FindOnPath("bwrap");
        if (path is null || !File.Exists(path))
        {
            return new ProcessSandbox(mode, null, $"bubblewrap was not found{(path is null ? " on the PATH" : $" at {path}")}; {InstallHint}");
        }
        var problem = Probes.GetOrAdd(path, p => new Lazy<string?>(() => Probe(p))).Value;
        return problem is null
            ? new ProcessSandbox(mode, path, null)
            : new ProcessSandbox(mode, null, $"bubblewrap ({path}) cannot create its namespaces here: {problem}");
    }

    /// <summary>
    /// The environment of every process that runs generated code: HOME, TMP and the XDG folders point into
    /// <paramref name="home"/> and <paramref name="temp"/> (inside the writable area), so "my home / temp folder" is
    /// private; NuGet's package folder stays the real one (read-only inside the sandbox), so assemblies resolve.
    /// </summary>
    public static Dictionary<string, string?> IsolatedEnvironment(string home, string temp) => new()
    {
        ["HOME"] = home,
        ["USERPROFILE"] = home,
        ["TMPDIR"] = temp,
        ["TMP"] = temp,
        ["TEMP"] = temp,
        ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
        ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
        ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
        ["XDG_RUNTIME_DIR"] = null,
        ["NUGET_PACKAGES"] = NuGetPackagesFolder(),
        ["DOTNET_CLI_HOME"] = home,
    };

    /// <summary>The global NuGet package folder (NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// The start info for <paramref name="launch"/>: redirected streams, the launch's environment plus
    /// <paramref name="runMarker"/>, wrapped in bwrap when the sandbox is active.
    /// </summary>
    /// <exception cref="SandboxUnavailableException">The sandbox is required and unavailable.</exception>
    public ProcessStartInfo CreateStartInfo(IsolatedLaunch launch, string runMarker)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (Refusal is { } refusal) throw new SandboxUnavailableException(refusal);
        foreach (var writable in launch.WritablePaths) Directory.CreateDirectory(writable);

        var program = ResolveProgram(launch.FileName);
        var startInfo = new ProcessStartInfo(IsActive ? BubblewrapPath! : program)
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (IsActive)
        {
            foreach (var argument in BubblewrapArguments(launch, program)) startInfo.ArgumentList.Add(argument);
        }
        foreach (var argument in launch.Arguments) startInfo.ArgumentList.Add(argument);

        // Child dotnet processes must never talk to a terminal or wait for telemetry prompts.
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in launch.Environment)
        {
            if (value is null) startInfo.Environment.Remove(key);
            else startInfo.Environment[key] = value;
        }
        startInfo.Environment[RunMarkerVariable] = runMarker;
        return startInfo;
    }

    /// <summary>
    /// bwrap's mounts, applied in order: the root read-only, fresh /dev and /proc, an empty /tmp, an empty tmpfs over each
    /// hidden path; then what must stay readable inside a hidden or private place (the program's folder, this server's
    /// folder, NuGet's package folder) read-only again; then the writable paths.
    /// </summary>
    private static List<string> BubblewrapArguments(IsolatedLaunch launch, string program)
    {
        var arguments = new List<string> { "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp" };
        var hidden = new List<string> { "/tmp" };
        foreach (var path in launch.HiddenPaths.Select(Normalize).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(path) || hidden.Any(h => IsInside(path, h))) continue;
            arguments.AddRange(["--tmpfs", path]);
            hidden.Add(path);
        }
        var readable = new List<string> { Normalize(AppContext.BaseDirectory), Normalize(NuGetPackagesFolder()) };
        if (Path.IsPathRooted(program) && Path.GetDirectoryName(RealPath(program)) is { } programFolder) readable.Add(programFolder);
        foreach (var path in readable.Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(path) || !hidden.Any(h => IsInside(path, h))) continue;
            if (launch.WritablePaths.Any(w => IsInside(path, Normalize(w)))) continue;
            arguments.AddRange(["--ro-bind", path, path]);
        }
        foreach (var path in launch.WritablePaths.Select(Normalize).Distinct(StringComparer.Ordinal))
        {
            arguments.AddRange(["--bind", path, path]);
        }
        arguments.AddRange(["--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session", "--chdir", launch.WorkingDirectory, "--", program]);
        return arguments;
    }

    /// <summary>Runs a trivial command with the launches' namespaces; null when it works, else bwrap's complaint.</summary>
    private static string? Probe(string bubblewrap)
    {
        try
        {
            var startInfo = new ProcessStartInfo(bubblewrap)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session", "--", "/bin/sh", "-c", "exit 0" })
            {
                startInfo.ArgumentList.Add(argument);
            }
            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return "the probe did not finish within 15 s";
            }
            var text = error.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0 ? null : (text.Length > 0 ? text : $"exit code {process.ExitCode}")
                + " (user namespaces may be disabled: sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap)";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    private static string ResolveProgram(string fileName)
    {
        if (Path.IsPathRooted(fileName) || fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)) return fileName;
        return FindOnPath(fileName) ?? fileName;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string RealPath(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar) is { Length: > 0 } p ? p : "/";

    private static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
