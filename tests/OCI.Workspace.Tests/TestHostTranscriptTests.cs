using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>
/// The warm test host's events, captured from real runs of OCI.TestHost on the FailingTest and HangingTest fixtures
/// (Data/testhost-*.txt; built in /tmp/ts-fx), and the filters it is given.
/// </summary>
public sealed class TestHostTranscriptTests
{
    private static IEnumerable<string> Data(string name) => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", name));

    private static string? ToUser(string path) =>
        path.StartsWith("/tmp/ts-fx/", StringComparison.Ordinal) ? "/home/user/ws/" + path["/tmp/ts-fx/".Length..] : null;

    [Fact]
    public void A_failing_run_gives_each_result_with_message_location_output_and_the_console_output()
    {
        var transcript = TestHostTranscript.Parse(Data("testhost-failing.txt"), ToUser);
        Assert.True(transcript.Done);
        Assert.True(transcript.Unloaded);
        Assert.Empty(transcript.Running);
        Assert.Equal(["Calc.Tests.CalculatorTests.Add_ReturnsSum", "Calc.Tests.CalculatorTests.Add_Zero"], transcript.Results.Select(r => r.Name));
        var failed = transcript.Results[0];
        Assert.Equal(TestOutcome.Failed, failed.Outcome);
        Assert.Equal("Assert.Equal() Failure: Values differ\nExpected: 5\nActual:   -1", failed.Message);
        Assert.Equal("/home/user/ws/FailingTest/Calc.Tests/CalculatorTests.cs", failed.Path);
        Assert.Equal(12, failed.Line);
        Assert.Contains("in /home/user/ws/FailingTest/Calc.Tests/CalculatorTests.cs:line 12", failed.StackTrace, StringComparison.Ordinal);
        Assert.Contains("EqualityAsserts.cs:line 154", failed.StackTrace, StringComparison.Ordinal); // outside the workspace: kept as is
        Assert.Equal(TestOutcome.Passed, transcript.Results[1].Outcome);
        Assert.True(transcript.Results[1].Duration > TimeSpan.Zero);
        Assert.Equal("adding 2 and 3\n", transcript.Output);
    }

    [Fact]
    public void A_run_stopped_by_its_timeout_names_the_test_that_was_running()
    {
        var transcript = TestHostTranscript.Parse(Data("testhost-hanging.txt"), ToUser);
        Assert.False(transcript.Done);
        Assert.Empty(transcript.Results);
        Assert.Equal(["Calc.Tests.CalculatorTests.Add_ReturnsSum"], transcript.Running);
    }

    [Fact]
    public void Lines_that_are_not_events_are_kept_as_stray_output()
    {
        var transcript = TestHostTranscript.Parse(["hello from a test", "@@oci-testhost {not json", "@@oci-testhost {\"event\":\"done\",\"unloaded\":false}"]);
        Assert.True(transcript.Done);
        Assert.False(transcript.Unloaded);
        Assert.Equal(["hello from a test", "@@oci-testhost {not json"], transcript.StrayOutput);
    }

    [Fact]
    public void A_done_without_unloaded_leaves_it_to_the_unloaded_event_that_follows()
    {
        var transcript = TestHostTranscript.Parse(["@@oci-testhost {\"event\":\"done\"}"]);
        Assert.True(transcript.Done);
        Assert.True(transcript.UnloadFollows);
        Assert.False(TestHostTranscript.Parse(["@@oci-testhost {\"event\":\"done\",\"unloaded\":true}"]).UnloadFollows);

        Assert.Equal((true, []), TestHostTranscript.UnloadedEvent("@@oci-testhost {\"event\":\"unloaded\",\"unloaded\":true}")!.Value);
        var held = TestHostTranscript.UnloadedEvent("@@oci-testhost {\"event\":\"unloaded\",\"unloaded\":false,\"survivors\":[\"42 sleep 60\"]}")!.Value;
        Assert.False(held.Unloaded);
        Assert.Equal(["42 sleep 60"], held.Survivors);
        Assert.False(TestHostTranscript.UnloadedEvent("@@oci-testhost {\"event\":\"flood\",\"characters\":9}")!.Value.Unloaded);
        Assert.Null(TestHostTranscript.UnloadedEvent("written by a test"));
        Assert.Null(TestHostTranscript.UnloadedEvent("@@oci-testhost {\"event\":\"message\",\"message\":\"x\"}"));
    }

    [Theory]
    [InlineData("FullyQualifiedName~Calc.Tests.A|FullyQualifiedName~Calc.Tests.B", "FullyQualifiedName~Calc.Tests.A;FullyQualifiedName~Calc.Tests.B", false)]
    [InlineData("FullyQualifiedName=X.Y&DisplayName!~slow", "FullyQualifiedName=X.Y;DisplayName!~slow", true)]
    [InlineData("Add_Zero", "FullyQualifiedName~Add_Zero", false)]
    [InlineData(null, "", false)]
    public void Simple_filters_become_name_clauses(string? filter, string expected, bool matchAll)
    {
        var (clauses, all) = TestFilterTranslation.Translate(filter)!.Value;
        Assert.Equal(expected, string.Join(";", clauses.Select(c => c.Field + c.Operator + c.Value)));
        Assert.Equal(matchAll, all);
    }

    [Theory]
    [InlineData("Category=Slow")]
    [InlineData("(FullyQualifiedName~A|FullyQualifiedName~B)&DisplayName~C")]
    [InlineData("FullyQualifiedName~A|DisplayName~B&DisplayName~C")]
    [InlineData("FullyQualifiedName~")]
    public void Other_filters_are_left_to_dotnet_test(string filter) => Assert.Null(TestFilterTranslation.Translate(filter));

    [Theory]
    [InlineData(null, "FullyQualifiedName~N.C.New")]
    [InlineData("FullyQualifiedName~N.C.Old", "FullyQualifiedName~N.C.Old|FullyQualifiedName~N.C.New")]
    [InlineData("FullyQualifiedName~N.C.New", "FullyQualifiedName~N.C.New")] // already there
    [InlineData("FullyQualifiedName=N.C.Old", "FullyQualifiedName=N.C.Old")] // not alternatives of names: kept as it is
    [InlineData("Category=Slow", "Category=Slow")]
    public void A_filter_of_names_is_widened_by_the_impacted_tests_and_any_other_is_kept(string? filter, string expected) =>
        Assert.Equal(expected, TestFilterTranslation.WithTests(filter, ["N.C.New"]));
}
