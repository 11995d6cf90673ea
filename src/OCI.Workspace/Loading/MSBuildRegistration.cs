using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace OCI.Workspace.Loading;

/// <summary>
/// Registers the installed .NET SDK's MSBuild with Microsoft.Build.Locator, exactly once per process.
/// </summary>
/// <remarks>
/// Why it is shaped like this: MSBuildLocator works by hooking assembly resolution so that Microsoft.Build*.dll load
/// from the SDK folder. That only works if no MSBuild type has been loaded yet, and the JIT loads the types a method
/// mentions when it compiles that method — before its first line runs. So the caller (<see cref="MSBuildWorkspaceHost"/>)
/// calls <see cref="EnsureRegistered"/> from a method that names no MSBuild or MSBuildWorkspace type, and the code that
/// does is in separate, non-inlined methods. <c>RegisterDefaults</c> throws when called twice, and several hosts
/// (tests, benchmark, server restarts of a workspace) share one process, hence the lock and the
/// <see cref="MSBuildLocator.IsRegistered"/> check (someone else in the process may have registered first).
/// Roslyn 5's MSBuildWorkspace evaluates projects in an out-of-process build host, so in-process MSBuild is only
/// needed for the few MSBuild types Roslyn's workspace layer touches; registering keeps those consistent with the SDK
/// the build host and <c>dotnet build</c> use.
/// </remarks>
public static class MSBuildRegistration
{
    private static readonly object Gate = new();
    private static string? _registeredPath;

    /// <summary>The MSBuild folder registered (the SDK's), or null before registration.</summary>
    public static string? RegisteredPath => _registeredPath;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registeredPath is not null) return _registeredPath;
            if (MSBuildLocator.IsRegistered)
            {
                _registeredPath = "(registered by the host process)";
                return _registeredPath;
            }
            var instance = MSBuildLocator.QueryVisualStudioInstances()
                .OrderByDescending(i => i.Version)
                .FirstOrDefault()
                ?? throw new InvalidOperationException(
                    "No .NET SDK found to load projects with. Install the .NET SDK (https://dot.net) or set DOTNET_ROOT.");
            MSBuildLocator.RegisterInstance(instance);
            _registeredPath = instance.MSBuildPath;
            return _registeredPath;
        }
    }
}
