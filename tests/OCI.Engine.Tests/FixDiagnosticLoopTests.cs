using OCI.Engine.Refine;
using OCI.Engine.Tests.Support;
using OCI.Testing;

namespace OCI.Engine.Tests;

/// <summary>
/// Fix diagnostic through <see cref="RefineEngine"/> with Roslyn's own fixes: without a model, chained until the file
/// compiles, in Roslyn's order, and with the model asked only about what they leave (real Roslyn compile, scripted model).
/// </summary>
public sealed class FixDiagnosticLoopTests
{
    [Fact]
    public async Task WithoutAModelFixDiagnosticStillWorksWithRoslynsFix()
    {
        const string code = "namespace Lib;\n\npublic static class Joiner\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return builder.ToString();\n    }\n}\n";
        await using var harness = await EngineHarness.StartAsync(model: null, Fixture.CreateHost(stubbedAdd: false, ("Joiner.cs", code)));

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Joiner.cs"), EngineHarness.At(harness.RangeOf("Joiner.cs", "StringBuilder")), diagnosticId: "CS0246");

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(0, outcome.RoundsUsed);
        Assert.StartsWith("using System.Text;", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
        Assert.Contains("Roslyn's fix", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_code_is_checked_beside_the_first_of_Roslyns_fixes_not_before_it()
    {
        const string code = "namespace Lib;\n\npublic static class Joiner\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return builder.ToString();\n    }\n}\n";
        var host = Fixture.CreateHost(stubbedAdd: false, ("Joiner.cs", code));
        // The check of the user's code (the baseline) is held until the first fix's check has started: run one after
        // the other, the baseline would wait in vain and the task fail.
        var fixChecked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.BeforeVerify = async (request, cancellationToken) =>
        {
            if (request.ReuseUnchanged) await fixChecked.Task.WaitAsync(TestWaits.Seconds(120), cancellationToken);
            else fixChecked.TrySetResult();
        };
        await using var harness = await EngineHarness.StartAsync(model: null, host);

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Joiner.cs"), EngineHarness.At(harness.RangeOf("Joiner.cs", "StringBuilder")), diagnosticId: "CS0246");

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.StartsWith("using System.Text;", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
        Assert.True(fixChecked.Task.IsCompleted);
    }

    /// <summary>Two missing usings (the fixture's global usings cover System): StringBuilder (CS0246) and Regex (CS0103).</summary>
    private const string TwoMissingUsings = "namespace Lib;\n\npublic static class Checker\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return Regex.IsMatch(builder.ToString(), \"^a\") ? \"a\" : builder.ToString();\n    }\n}\n";

    [Fact]
    public async Task FixDiagnosticChainsRoslynsFixesUntilTheFileCompilesWithoutAModel()
    {
        await using var harness = await EngineHarness.StartAsync(model: null, Fixture.CreateHost(stubbedAdd: false, ("Checker.cs", TwoMissingUsings)));

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Checker.cs"), EngineHarness.At(harness.RangeOf("Checker.cs", "StringBuilder")), diagnosticId: "CS0246");

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(RefineStopReason.Verified, outcome.StopReason);
        Assert.Equal(0, outcome.RoundsUsed);
        var text = Assert.Single(outcome.Changes).NewText;
        // Roslyn's order: "using X;" before the fully qualified name, for both errors.
        Assert.StartsWith("using System.Text;\nusing System.Text.RegularExpressions;\n", text, StringComparison.Ordinal);
        Assert.Contains("new StringBuilder()", text, StringComparison.Ordinal);
        Assert.Contains("return Regex.IsMatch(", text, StringComparison.Ordinal);
        Assert.Contains("Verified Roslyn's fix \"using System.Text; + using System.Text.RegularExpressions;\"", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BetweenRoslynsFixesThatLeaveTheSameErrorsRoslynsOwnOrderWinsNotTheSmallerChange()
    {
        // No chaining: both "using System.Text;" (2 lines with its blank line) and "System.Text.StringBuilder" (1 line)
        // leave the Regex error; the qualified name is the smaller change, but Roslyn lists the using first.
        await using var harness = await EngineHarness.StartAsync(model: null, Fixture.CreateHost(stubbedAdd: false, ("Checker.cs", TwoMissingUsings)),
            configure: s => s with { Refine = s.Refine with { FixChainDepth = 1 } });

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Checker.cs"), EngineHarness.At(harness.RangeOf("Checker.cs", "StringBuilder")), diagnosticId: "CS0246");

        Assert.False(outcome.Verified, outcome.Summary);
        var text = Assert.Single(outcome.Changes).NewText;
        Assert.StartsWith("using System.Text;\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Text.StringBuilder", text, StringComparison.Ordinal);
        Assert.Contains("1 error CS0103", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenRoslynsFixesGetPartOfTheWayTheModelIsAskedWithWhatTheyLeft()
    {
        // "using System.Text;" fixes CS0246; what remains (CS0029, string to int) no Roslyn fix makes compile.
        const string code = "namespace Lib;\n\npublic static class Counter\n{\n    public static int Count(string text)\n    {\n        var builder = new StringBuilder(text);\n        int length = builder.ToString();\n        return length;\n    }\n}\n";
        const string reply = "```csharp\npublic static int Count(string text)\n{\n    var builder = new StringBuilder(text);\n    int length = builder.Length;\n    return length;\n}\n```";
        var model = new ScriptedChatClient(new ScriptedReply(reply));
        await using var harness = await EngineHarness.StartAsync(model, Fixture.CreateHost(stubbedAdd: false, ("Counter.cs", code)));

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Counter.cs"), EngineHarness.At(harness.RangeOf("Counter.cs", "StringBuilder")), diagnosticId: "CS0246");

        var prompt = harness.UserTurn(0);
        Assert.True(prompt.Contains("Roslyn's fixes got part of the way", StringComparison.Ordinal), prompt + "\n---\n" + outcome.Summary);
        Assert.Contains("\"using System.Text;\"", prompt, StringComparison.Ordinal);
        Assert.Contains("error CS0029", prompt, StringComparison.Ordinal);
        Assert.Contains("int length = builder.ToString();", prompt, StringComparison.Ordinal);
        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(1, outcome.RoundsUsed);
        Assert.Contains("builder.Length", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFirstFixDiagnosticRequestListsTheFilesRealDiagnosticsTheTargetedOneFirst()
    {
        var model = new ScriptedChatClient("```csharp\nusing System.Text;\nusing System.Text.RegularExpressions;\n\npublic static string Join(string[] parts)\n{\n    var builder = new StringBuilder();\n    foreach (var part in parts) builder.Append(part);\n    return Regex.IsMatch(builder.ToString(), \"^a\") ? \"a\" : builder.ToString();\n}\n```");
        await using var harness = await EngineHarness.StartAsync(model, Fixture.CreateHost(stubbedAdd: false, ("Checker.cs", TwoMissingUsings)),
            configure: s => s with { Refine = s.Refine with { UseRoslynFixes = false } });

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Checker.cs"), EngineHarness.At(harness.RangeOf("Checker.cs", "Regex")), diagnosticId: "CS0103");

        Assert.True(outcome.Verified, outcome.Summary);
        var prompt = harness.UserTurn(0);
        var regex = prompt.IndexOf("line 9: error CS0103: The name 'Regex' does not exist in the current context\n    return Regex.IsMatch(", StringComparison.Ordinal);
        var builder = prompt.IndexOf("line 7: error CS0246: The type or namespace name 'StringBuilder' could not be found", StringComparison.Ordinal);
        Assert.True(regex > 0 && builder > regex, prompt); // the one asked about first, then the rest of the file
    }
}
