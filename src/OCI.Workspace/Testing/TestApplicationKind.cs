using System.Text.Json;

namespace OCI.Workspace.Testing;

/// <summary>The test framework a built test assembly uses, as its output folder shows it.</summary>
public enum TestFramework
{
    Unknown,
    XunitV2,
    XunitV3,
    NUnit,
    MSTest,
    TUnit,
}

/// <summary>How a built test assembly runs: through VSTest (<c>dotnet test &lt;dll&gt;</c>) or as a Microsoft.Testing.Platform application.</summary>
public sealed record TestApplicationKind(TestFramework Framework, bool MicrosoftTestingPlatform, string Why)
{
    /// <summary>
    /// Decides from what the build left beside <paramref name="assembly"/> and the repository's <c>global.json</c>
    /// (searched upward from the assembly, then from <paramref name="repositoryRoot"/>): a <c>global.json</c> whose test
    /// runner is Microsoft.Testing.Platform makes <c>dotnet test</c> refuse VSTest, so every test application there runs
    /// on the platform; elsewhere an assembly runs on it when it ships the platform and VSTest's test host is absent
    /// (TUnit, xunit.v3 without xunit.runner.visualstudio, <c>EnableMSTestRunner</c>/<c>EnableNUnitRunner</c> without
    /// Microsoft.NET.Test.Sdk). Projects that keep VSTest (xunit 2, adapters with Microsoft.NET.Test.Sdk) stay on it.
    /// </summary>
    public static TestApplicationKind Detect(string assembly, string? repositoryRoot = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(assembly))!;
        var framework = FrameworkIn(folder);
        var ships = File.Exists(Path.Combine(folder, "Microsoft.Testing.Platform.dll"));
        var runnable = File.Exists(Path.ChangeExtension(assembly, ".runtimeconfig.json"));
        if (ships && runnable && (GlobalJsonRunner(folder) ?? (repositoryRoot is null ? null : GlobalJsonRunner(repositoryRoot))) is { } runner
            && runner.Equals("Microsoft.Testing.Platform", StringComparison.OrdinalIgnoreCase))
        {
            return new(framework, true, "global.json sets the test runner to Microsoft.Testing.Platform");
        }
        if (ships && runnable && (framework == TestFramework.TUnit || !File.Exists(Path.Combine(folder, "testhost.dll"))))
        {
            return new(framework, true, "the test application ships Microsoft.Testing.Platform and not VSTest's test host");
        }
        return new(framework, false, ships ? "VSTest's test host is beside it (Microsoft.NET.Test.Sdk)" : "it does not ship Microsoft.Testing.Platform");
    }

    /// <summary>The framework whose assemblies lie in <paramref name="folder"/>.</summary>
    public static TestFramework FrameworkIn(string folder)
    {
        bool Has(string file) => File.Exists(Path.Combine(folder, file));
        if (Has("TUnit.Core.dll")) return TestFramework.TUnit;
        if (Has("xunit.v3.core.dll")) return TestFramework.XunitV3;
        if (Has("xunit.execution.dotnet.dll")) return TestFramework.XunitV2;
        if (Has("nunit.framework.dll")) return TestFramework.NUnit;
        if (Has("Microsoft.VisualStudio.TestPlatform.TestFramework.dll") || Has("MSTest.TestFramework.dll")) return TestFramework.MSTest;
        return TestFramework.Unknown;
    }

    /// <summary>The <c>test.runner</c> of the nearest <c>global.json</c> at or above <paramref name="folder"/>; null when it sets none.</summary>
    public static string? GlobalJsonRunner(string folder)
    {
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "global.json");
            if (!File.Exists(path)) continue;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.Object
                    && test.TryGetProperty("runner", out var runner) && runner.ValueKind == JsonValueKind.String
                    ? runner.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }
}
