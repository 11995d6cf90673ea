using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>The pieces of running Microsoft.Testing.Platform applications that need no build: detection, filters, exit codes, NUnit's result XML.</summary>
public sealed class TestApplicationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-mtp-").FullName;

    [Fact]
    public void Global_json_test_runner_is_found_from_a_folder_below_it_and_a_plain_global_json_sets_none()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_folder, "tests", "bin", "Debug")).FullName;
        File.WriteAllText(Path.Combine(_folder, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        Assert.Equal("Microsoft.Testing.Platform", TestApplicationKind.GlobalJsonRunner(nested));

        File.WriteAllText(Path.Combine(_folder, "tests", "global.json"), """{ "sdk": { "version": "10.0.100" } }""");
        Assert.Null(TestApplicationKind.GlobalJsonRunner(nested)); // the nearest global.json decides, as for dotnet test
    }

    [Fact]
    public void An_assembly_beside_the_platform_without_VSTests_test_host_is_a_platform_application_and_with_it_stays_on_VSTest()
    {
        var assembly = Path.Combine(_folder, "App.Tests.dll");
        foreach (var file in new[] { "App.Tests.dll", "App.Tests.runtimeconfig.json", "Microsoft.Testing.Platform.dll", "nunit.framework.dll" })
        {
            File.WriteAllText(Path.Combine(_folder, file), "");
        }
        var kind = TestApplicationKind.Detect(assembly);
        Assert.True(kind.MicrosoftTestingPlatform, kind.Why);
        Assert.Equal(TestFramework.NUnit, kind.Framework);

        File.WriteAllText(Path.Combine(_folder, "testhost.dll"), "");
        Assert.False(TestApplicationKind.Detect(assembly).MicrosoftTestingPlatform);

        File.WriteAllText(Path.Combine(_folder, "global.json"), """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        Assert.True(TestApplicationKind.Detect(assembly).MicrosoftTestingPlatform); // dotnet test refuses VSTest under it
    }

    [Fact]
    public void The_engines_name_filter_becomes_each_frameworks_own_option()
    {
        const string filter = "FullyQualifiedName~Ns.CalcTests.Add|FullyQualifiedName~Ns.Other.Sub";
        Assert.Equal(["--filter", filter], TestApplicationFilters.Arguments(TestFramework.NUnit, false, filter));
        Assert.Equal(["--filter", filter], TestApplicationFilters.Arguments(TestFramework.MSTest, false, filter));
        Assert.Equal(["--filter-method", "*Ns.CalcTests.Add*", "--filter-method", "*Ns.Other.Sub*"], TestApplicationFilters.Arguments(TestFramework.XunitV3, false, filter));
        Assert.Equal(["-method", "*Ns.CalcTests.Add*", "-method", "*Ns.Other.Sub*"], TestApplicationFilters.Arguments(TestFramework.XunitV3, true, filter));
        // A name may be a test or a class: TUnit's filter selects the classes of either reading, a superset.
        Assert.Equal(["--treenode-filter", "/*/*/(Add)|(CalcTests)|(Sub)|(Other)/*"], TestApplicationFilters.Arguments(TestFramework.TUnit, false, filter));
        Assert.Equal("/*/*/(CalcTests)|(Ns)/*", TestApplicationFilters.TUnitTreeFilter("FullyQualifiedName~Ns.CalcTests"));
        Assert.Equal("/*/*/(M)|(T)/*", TestApplicationFilters.TUnitTreeFilter("FullyQualifiedName=Ns.T.M"));
        Assert.Empty(TestApplicationFilters.Arguments(TestFramework.TUnit, false, null)!);
        Assert.Null(TestApplicationFilters.Arguments(TestFramework.XunitV3, false, "Category=Fast"));

        // What an option selects beyond the filter (xunit.v3's method wildcards, TUnit's classes) is narrowed back to the filter's.
        Assert.True(TestApplicationFilters.Keeps(filter, "Ns.CalcTests.Add"));
        Assert.False(TestApplicationFilters.Keeps(filter, "Ns.Elsewhere.Add"));
        Assert.True(TestApplicationFilters.Keeps("FullyQualifiedName=Ns.T.M", "Ns.T.M(1, 2)"));
        Assert.True(TestApplicationFilters.Keeps("Category=Fast", "Ns.Anything"));
    }

    [Fact]
    public void Exit_codes_say_what_the_platform_means()
    {
        Assert.True(MtpExitCodes.IsOrdinary(2));
        Assert.True(MtpExitCodes.IsOrdinary(8));
        Assert.False(MtpExitCodes.IsOrdinary(1));
        Assert.Contains("zero tests", MtpExitCodes.Describe(8), StringComparison.Ordinal);
        Assert.Contains("arguments were invalid", MtpExitCodes.Describe(5), StringComparison.Ordinal);
        Assert.Contains("at least one test failed", MtpExitCodes.Describe(2), StringComparison.Ordinal);
    }

    [Fact]
    public void An_applications_end_is_a_crash_unless_its_own_results_explain_its_exit_code()
    {
        // Failed tests, and this application reported one: ordinary.
        Assert.False(ApplicationEnd.Read("A.Tests", 2, resultsComplete: true, failedTests: 1, "F", timedOut: false).Crashed);
        // "Tests failed" with no failure of its own (another application's failures do not count): results were lost.
        var lost = ApplicationEnd.Read("A.Tests", 2, resultsComplete: true, failedTests: 0, "F", timedOut: false);
        Assert.True(lost.Crashed);
        Assert.Contains("A.Tests exited with code 2: at least one test failed", lost.Messages);
        // With no structured report, the exit code is the only word on failures: not a crash.
        Assert.False(ApplicationEnd.Read("A.Tests", 2, resultsComplete: true, failedTests: 0, "F", timedOut: false, onlyExitCode: true).Crashed);
        // Success whose protocol did not finish ran an unknown part of its tests.
        Assert.True(ApplicationEnd.Read("A.Tests", 0, resultsComplete: false, failedTests: 0, null, timedOut: false).Crashed);
        // Zero tests: ordinary under a filter, and said of an unfiltered run.
        Assert.Empty(ApplicationEnd.Read("A.Tests", 8, resultsComplete: true, failedTests: 0, "F", timedOut: false).Messages);
        var none = ApplicationEnd.Read("A.Tests", 8, resultsComplete: true, failedTests: 0, null, timedOut: false);
        Assert.False(none.Crashed);
        Assert.Contains(none.Messages, m => m.Contains("zero tests", StringComparison.Ordinal));
        // The platform's timeout, or ours: stopped, not crashed.
        var aborted = ApplicationEnd.Read("A.Tests", 3, resultsComplete: true, failedTests: 0, "F", timedOut: false);
        Assert.True(aborted.Stopped);
        Assert.False(aborted.Crashed);
        Assert.True(ApplicationEnd.Read("A.Tests", null, resultsComplete: false, failedTests: 0, "F", timedOut: true) is { Stopped: true, Crashed: false });
        // Any other code is a crash, with its meaning.
        Assert.Contains(ApplicationEnd.Read("A.Tests", 5, resultsComplete: true, failedTests: 0, "F", timedOut: false).Messages, m => m.Contains("arguments were invalid", StringComparison.Ordinal));
        // xunit.v3's native runner: 1 means failures (when it reported one), and 3 is not the platform's abort.
        Assert.False(ApplicationEnd.Read("X.Tests", 1, resultsComplete: true, failedTests: 1, "F", timedOut: false, xunitNative: true).Crashed);
        Assert.True(ApplicationEnd.Read("X.Tests", 1, resultsComplete: true, failedTests: 0, "F", timedOut: false, xunitNative: true).Crashed);
        Assert.True(ApplicationEnd.Read("X.Tests", 3, resultsComplete: true, failedTests: 0, "F", timedOut: false, xunitNative: true).Crashed);
    }

    [Fact]
    public void NUnit_result_xml_gives_each_test_with_its_assertion_text_and_workspace_line()
    {
        const string xml = """
            <test-run><test-suite type="Assembly"><test-suite type="TestFixture" fullname="Ns.CalcTests">
              <test-case fullname="Ns.CalcTests.Add" result="Failed" duration="0.25">
                <failure><message><![CDATA[  Assert.That(Calculator.Add(2, 3), Is.EqualTo(5))
              Expected: 5
              But was:  -1
            ]]></message><stack-trace><![CDATA[   at Ns.CalcTests.Add() in /shadow/Calc.Tests/CalcTests.cs:line 11
            ]]></stack-trace></failure>
                <output><![CDATA[hello]]></output>
              </test-case>
              <test-case fullname="Ns.CalcTests.Zero" result="Passed" duration="0.01" />
              <test-case fullname="Ns.CalcTests.Later" result="Skipped" label="Ignored"><reason><message><![CDATA[not yet]]></message></reason></test-case>
            </test-suite></test-suite></test-run>
            """;
        var run = NUnitXmlParser.Parse(xml, p => p.Replace("/shadow/", "/user/", StringComparison.Ordinal));
        Assert.Equal(["Ns.CalcTests.Add", "Ns.CalcTests.Later", "Ns.CalcTests.Zero"], run.Results.Select(r => r.Name));
        var failed = run.Results[0];
        Assert.Equal(TestOutcome.Failed, failed.Outcome);
        Assert.Contains("But was:  -1", failed.Message, StringComparison.Ordinal);
        Assert.Equal(("/user/Calc.Tests/CalcTests.cs", 11), (failed.Path, failed.Line));
        Assert.Equal("hello", failed.Output);
        Assert.Equal(TestOutcome.Skipped, run.Results[1].Outcome);
        Assert.Equal(TestOutcome.Passed, run.Results[2].Outcome);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
