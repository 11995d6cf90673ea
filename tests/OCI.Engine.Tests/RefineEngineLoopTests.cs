using System.Text.Json;
using Microsoft.Extensions.AI;
using OCI.Engine.Refine;
using OCI.Engine.Tests.Support;
using OCI.Testing;
using OCI.Workspace.Verification;

namespace OCI.Engine.Tests;

/// <summary>The whole task through <see cref="RefineEngine"/>: real Roslyn compile, in-memory test runs, scripted model.</summary>
public sealed class RefineEngineLoopTests
{
    private const string WrongAdd = "Here is the implementation:\n```csharp\npublic int Add(int a, int b)\n{\n    return \"a\" + b;\n}\n```\n";
    private const string RightAdd = "```csharp\npublic int Add(int a, int b)\n{\n    return a + b;\n}\n```";

    [Fact]
    public async Task GenerateFixesItsCompileErrorAfterFeedbackThatCarriesTheRealErrorCode()
    {
        var model = new ScriptedChatClient(new ScriptedReply(WrongAdd), new ScriptedReply(RightAdd, When: "CS0029"));
        await using var harness = await EngineHarness.StartAsync(model);
        var path = harness.Host.LibraryPath("Calculator.cs");

        var outcome = await harness.RunAsync(RefineKind.Generate, path, EngineHarness.At(harness.RangeOf("Calculator.cs", "NotImplementedException")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(RefineStopReason.Verified, outcome.StopReason);
        Assert.Equal(2, outcome.RoundsUsed);
        Assert.Equal(2, model.Requests.Count);
        var feedback = harness.UserTurn(1);
        Assert.StartsWith("Execution result:", feedback, StringComparison.Ordinal);
        Assert.Contains("CS0029", feedback, StringComparison.Ordinal);
        var change = Assert.Single(outcome.Changes);
        Assert.Equal(path, change.Path);
        Assert.Contains("        return a + b;", change.NewText, StringComparison.Ordinal);
        Assert.DoesNotContain("NotImplementedException", change.NewText, StringComparison.Ordinal);
        Assert.Contains("public int Twice(int x) => x * 2;", change.NewText, StringComparison.Ordinal); // the rest of the file is intact
        Assert.Contains("Verified in 2 rounds", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("1 test pass", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains(harness.Progress, p => p.Round == 1 && p.Message.Contains("CS0029", StringComparison.Ordinal));
        // The user's buffer is untouched: the engine only offers the change.
        Assert.Contains("throw new NotImplementedException();", harness.Host.GetText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOutcomeCarriesOneRoundTimingPerRoundRunWithItsVerdictAndTheBaselinesTime()
    {
        var model = new ScriptedChatClient(new ScriptedReply(WrongAdd), new ScriptedReply(RightAdd, When: "CS0029"));
        await using var harness = await EngineHarness.StartAsync(model);

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "NotImplementedException")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(outcome.RoundsUsed, outcome.RoundTimings.Count);
        Assert.Equal([0, 1], outcome.RoundTimings.Select(t => t.Round));
        var (wrong, right) = (outcome.RoundTimings[0], outcome.RoundTimings[1]);
        Assert.Equal(VerificationStatus.CompileErrors, wrong.Status);
        Assert.True(wrong.NewErrors > 0, wrong.ToString());
        Assert.Equal(0, wrong.TestMs); // it never compiled, so no test ran
        Assert.Equal(VerificationStatus.Passed, right.Status);
        Assert.Equal((0, 1, 0), (right.NewErrors, right.Passed, right.Failed));
        // Each round's parts are its own: they fit in its verification's wall clock.
        Assert.All(outcome.RoundTimings, t => Assert.True(
            t.ModelMs >= 0 && t.CompileMs >= 0 && t.BuildMs >= 0 && t.TestMs >= 0 && t.VerifyMs >= t.CompileMs + t.BuildMs + t.TestMs, t.ToString()));
        Assert.NotNull(outcome.BaselineMs);
        Assert.True(outcome.BaselineMs >= 0);
    }

    [Fact]
    public async Task OnlyTheBaselineCheckMayBeAnsweredWithAnEarlierResultOfTheSameInputs()
    {
        var model = new ScriptedChatClient(new ScriptedReply(WrongAdd), new ScriptedReply(RightAdd, When: "CS0029"));
        await using var harness = await EngineHarness.StartAsync(model);

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "NotImplementedException")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(2, harness.Host.TestedRequests.Count); // the user's code as it is, then the right candidate (the wrong one never compiled)
        Assert.True(harness.Host.TestedRequests[0].ReuseUnchanged);
        Assert.False(harness.Host.TestedRequests[1].ReuseUnchanged); // a candidate is always built and tested
    }

    [Fact]
    public async Task GenerateAsksTheModelWhileTheUsersCodeIsStillBeingChecked()
    {
        var model = new ScriptedChatClient(new ScriptedReply(RightAdd));
        var host = Fixture.CreateHost();
        host.BeforeVerify = async (request, cancellationToken) =>
        {
            if (!request.ReuseUnchanged) return; // only the baseline is held back
            // Done in order (baseline, then the model), the baseline would wait here for a model that is never asked.
            var deadline = DateTime.UtcNow + TestWaits.Seconds(30);
            while (model.Requests.Count == 0)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the model was not asked while the baseline was being checked");
                await Task.Delay(10, cancellationToken);
            }
        };
        await using var harness = await EngineHarness.StartAsync(model, host);

        var outcome = await harness.RunAsync(RefineKind.Generate, host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "NotImplementedException")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(1, outcome.RoundsUsed);
        Assert.True(host.Requests[0].ReuseUnchanged); // the baseline was asked for first, and answered after the model
        Assert.Contains(harness.Progress, p => p.Round == 0 && p.Message.StartsWith("your code: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAndRefineFeedsTheFailingTestBackAndRunsOnlyTheTestsThatReferenceTheTarget()
    {
        const string offByOne = "```csharp\npublic int Add(int a, int b) => a + b + 1;\n```";
        var model = new ScriptedChatClient(new ScriptedReply(offByOne), new ScriptedReply(RightAdd, When: "Assert.Equal() Failure"));
        await using var harness = await EngineHarness.StartAsync(model);
        var path = harness.Host.LibraryPath("Calculator.cs");

        var outcome = await harness.RunAsync(RefineKind.RunAndRefine, path, EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int a")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(2, outcome.RoundsUsed);
        var prompt = harness.UserTurn(0);
        Assert.Contains("Assert.Equal(5, new Calculator().Add(2, 3));", prompt, StringComparison.Ordinal);
        var feedback = harness.UserTurn(1);
        Assert.Contains("AddsTwoNumbers", feedback, StringComparison.Ordinal);
        Assert.Contains("Assert.Equal() Failure", feedback, StringComparison.Ordinal);
        // Every check that runs tests runs those (a compile while they were still being searched runs none).
        Assert.All(harness.Host.Requests.Where(r => r.RunTests), r => Assert.Equal("FullyQualifiedName~Lib.Tests.CalculatorTests.AddsTwoNumbers", r.TestFilter));
        Assert.All(harness.Host.Requests.Where(r => r.TestFilter is null), r => Assert.False(r.RunTests || r.Build));
    }

    [Fact]
    public async Task AModelThatNeverWritesCodeEndsTheLoopCleanly()
    {
        var model = new ScriptedChatClient("I am sorry, I cannot write that method.");
        await using var harness = await EngineHarness.StartAsync(model);

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int")));

        Assert.False(outcome.Verified);
        Assert.Equal(RefineStopReason.NoCode, outcome.StopReason);
        Assert.Empty(outcome.Changes);
        Assert.Single(model.Requests);
        Assert.Contains("held no code", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(outcome.RoundTimings); // the round ran, but verified nothing: it has no verdict to time
    }

    [Fact]
    public async Task RoundLimitKeepsTheUsersCodeWhenNothingIsBetter()
    {
        var model = new ScriptedChatClient(WrongAdd, WrongAdd);
        await using var harness = await EngineHarness.StartAsync(model, configure: s => s with { Refine = s.Refine with { MaxRounds = 2 } });

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int")));

        Assert.False(outcome.Verified);
        Assert.Equal(RefineStopReason.RoundLimit, outcome.StopReason);
        Assert.Equal(2, outcome.RoundsUsed);
        Assert.Equal([VerificationStatus.CompileErrors, VerificationStatus.CompileErrors], outcome.RoundTimings.Select(t => t.Status));
        Assert.Empty(outcome.Changes);
        Assert.Contains("1 error CS0029", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("unchanged", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingMidLoopStopsTheModelAndChangesNothing()
    {
        using var cancel = new CancellationTokenSource();
        var model = new ScriptedChatClient(WrongAdd, RightAdd) { ChunkDelay = TimeSpan.FromMilliseconds(100) };
        await using var harness = await EngineHarness.StartAsync(model);
        var progress = new SynchronousProgress<RefineProgress>(p =>
        {
            // Round 2 is announced just before its request; cancelling right there would stop the conversation
            // before it asks. A moment later round 2's reply (4 chunks, 100 ms apart) is streaming.
            if (p.Round == 2) cancel.CancelAfter(TimeSpan.FromMilliseconds(150));
        });

        var outcome = await harness.Engine.RunAsync(
            new RefineRequest(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int"))),
            progress, cancel.Token);

        Assert.Equal(RefineStopReason.Cancelled, outcome.StopReason);
        Assert.False(outcome.Verified);
        Assert.Empty(outcome.Changes);
        Assert.Equal(2, model.Requests.Count);
    }

    [Fact]
    public async Task RefineSelectionIsOfferedWhenItIsNoWorseThanCodeWithAnUnrelatedFailingTest()
    {
        // Add is still a stub, so AddsTwoNumbers fails before and after: the refactoring of Sum is what was asked for.
        var model = new ScriptedChatClient("```csharp\nreturn values.Sum();\n```", "```csharp\nreturn 0;\n```");
        await using var harness = await EngineHarness.StartAsync(model, Fixture.CreateHost(stubbedAdd: true));
        var path = harness.Host.LibraryPath("Calculator.cs");
        const string loop = "var total = 0;\n        foreach (var value in values)\n        {\n            total += value;\n        }\n        return total;";

        var outcome = await harness.RunAsync(RefineKind.RefineSelection, path, harness.RangeOf("Calculator.cs", loop), instruction: "use LINQ");

        Assert.Equal(RefineStopReason.NoWorse, outcome.StopReason);
        Assert.False(outcome.Verified);
        Assert.Single(model.Requests); // no feedback round about the unrelated failure
        Assert.Contains("return values.Sum();", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
        Assert.Contains("no worse than your code", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefineSelectionContinuesTheSameConversation()
    {
        var model = new ScriptedChatClient(
            new ScriptedReply("```csharp\nreturn values.Sum();\n```", When: "use LINQ"),
            new ScriptedReply("```csharp\nreturn values.Aggregate(0, (total, value) => total + value);\n```", When: "use Aggregate"));
        await using var harness = await EngineHarness.StartAsync(model, Fixture.CreateHost(stubbedAdd: false));
        var path = harness.Host.LibraryPath("Calculator.cs");
        const string loop = "var total = 0;\n        foreach (var value in values)\n        {\n            total += value;\n        }\n        return total;";

        var first = await harness.RunAsync(RefineKind.RefineSelection, path, harness.RangeOf("Calculator.cs", loop), instruction: "use LINQ");

        Assert.True(first.Verified, first.Summary);
        Assert.NotNull(first.ConversationId);
        var afterFirst = Assert.Single(first.Changes).NewText;
        Assert.Contains("        return values.Sum();\n    }", afterFirst, StringComparison.Ordinal);

        // The user applies it, selects the new line and asks again, in the same conversation.
        harness.Engine.SetDocument(path, afterFirst);
        var second = await harness.RunAsync(RefineKind.RefineSelection, path, harness.RangeOf("Calculator.cs", "return values.Sum();"), instruction: "use Aggregate", conversationId: first.ConversationId);

        Assert.True(second.Verified, second.Summary + "\n" + string.Join("\n---\n", model.Requests.Select(r => r.Last().Text)));
        Assert.Equal(first.ConversationId, second.ConversationId);
        var history = model.Requests[1];
        Assert.Equal(3, history.Count(m => m.Role == ChatRole.User || m.Role == ChatRole.Assistant)); // turn 1, reply 1, turn 2
        Assert.Contains(history, m => m.Role == ChatRole.Assistant && m.Text.Contains("values.Sum()", StringComparison.Ordinal));
        Assert.Contains("another change: use Aggregate", harness.UserTurn(1), StringComparison.Ordinal);
        Assert.Contains("values.Aggregate(0", Assert.Single(second.Changes).NewText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAModelGenerateExplainsHowToConfigureOne()
    {
        await using var harness = await EngineHarness.StartAsync(model: null);

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int")));

        Assert.Equal(RefineStopReason.NoModel, outcome.StopReason);
        Assert.Empty(outcome.Changes);
        Assert.Contains("oci.model.backend", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("oci.model.path", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal("no model configured", harness.Engine.ModelStatus);
    }

    [Fact]
    public async Task ACommandSentWhileTheWorkspaceLoadsWaitsForItAndFindsTheDiagnosticAtTheCursor()
    {
        // Editors send a command as soon as a file is open; the first load may still run. No diagnostic code: the
        // engine finds Roslyn's diagnostic at the cursor (our server publishes none for the client to send).
        const string code = "namespace Lib;\n\npublic static class Joiner\n{\n    public static string Join(string[] parts)\n    {\n        var builder = new StringBuilder();\n        foreach (var part in parts) builder.Append(part);\n        return builder.ToString();\n    }\n}\n";
        var host = Fixture.CreateHost(stubbedAdd: false, ("Joiner.cs", code));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var engine = new RefineEngine(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, async (_, _, _, ct) =>
        {
            loading.TrySetResult();
            await release.Task.WaitAsync(ct);
            return host;
        });
        var opening = engine.OpenWorkspaceAsync(host.Root, null, CancellationToken.None);
        var cursor = SourceTextRange(code, "StringBuilder");
        var running = engine.RunAsync(new RefineRequest(RefineKind.FixDiagnostic, host.LibraryPath("Joiner.cs"), cursor, null, null, null), null, CancellationToken.None);

        await loading.Task.WaitAsync(TestWaits.Seconds(60)); // the load has begun and is held: the command is in
        Assert.False(running.IsCompleted, "the command must wait for the workspace, not refuse it");
        release.SetResult();
        await opening;
        var outcome = await running;

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.StartsWith("using System.Text;", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
    }

    private static Microsoft.CodeAnalysis.Text.LinePositionSpan SourceTextRange(string code, string text)
    {
        var position = Microsoft.CodeAnalysis.Text.SourceText.From(code).Lines.GetLinePosition(code.IndexOf(text, StringComparison.Ordinal));
        return new(position, position);
    }

    [Fact]
    public async Task FixDiagnosticAsksTheModelOnlyWhenNoRoslynFixVerifies()
    {
        // CS0029 (string to int) has no Roslyn fix that makes this compile, so the model is asked.
        const string code = "namespace Lib;\n\npublic static class Parser\n{\n    public static int Parse(string text)\n    {\n        int value = text;\n        return value;\n    }\n}\n";
        var model = new ScriptedChatClient("```csharp\npublic static int Parse(string text)\n{\n    int value = int.Parse(text);\n    return value;\n}\n```");
        await using var harness = await EngineHarness.StartAsync(model, Fixture.CreateHost(stubbedAdd: false, ("Parser.cs", code)));

        var outcome = await harness.RunAsync(RefineKind.FixDiagnostic, harness.Host.LibraryPath("Parser.cs"), EngineHarness.At(harness.RangeOf("Parser.cs", "text;")));

        Assert.True(outcome.Verified, outcome.Summary);
        Assert.Equal(1, outcome.RoundsUsed);
        var prompt = harness.UserTurn(0);
        Assert.Contains("CS0029", prompt, StringComparison.Ordinal);
        Assert.Contains("int value = text;", prompt, StringComparison.Ordinal);
        Assert.Contains("int.Parse(text)", Assert.Single(outcome.Changes).NewText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrajectoryLogGetsOneCodeFeedbackLinePerSession()
    {
        var log = Path.Combine(Path.GetTempPath(), "oci-engine-tests", Guid.NewGuid().ToString("N"), "trajectories.jsonl");
        var model = new ScriptedChatClient(new ScriptedReply(WrongAdd), new ScriptedReply(RightAdd, When: "CS0029"));
        await using var harness = await EngineHarness.StartAsync(model, configure: s => s with { Refine = s.Refine with { TrajectoryLogPath = log } });

        var outcome = await harness.RunAsync(RefineKind.Generate, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Add(int")));

        var line = Assert.Single(File.ReadAllLines(log));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(outcome.ConversationId, root.GetProperty("id").GetString());
        Assert.Equal("generate", root.GetProperty("task").GetString());
        Assert.True(root.GetProperty("verified").GetBoolean());
        Assert.Equal(2, root.GetProperty("rounds").GetInt32());
        var messages = root.GetProperty("messages").EnumerateArray().Select(m => (Role: m.GetProperty("role").GetString(), Content: m.GetProperty("content").GetString()!)).ToList();
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], messages.Select(m => m.Role));
        Assert.StartsWith("Execution result:", messages[3].Content, StringComparison.Ordinal);
        Assert.Contains("return a + b;", messages[4].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileOutsideTheLoadedProjectsIsRefusedClearly()
    {
        await using var harness = await EngineHarness.StartAsync(model: null);
        var outside = Path.Combine(harness.Host.Root, "Elsewhere", "Loose.cs");
        harness.Engine.SetDocument(outside, "class Loose { void M() { throw new System.NotImplementedException(); } }");

        var suggestions = await harness.Engine.SuggestActionsAsync(outside, new(new(0, 20), new(0, 20)), [], CancellationToken.None);
        var outcome = await harness.RunAsync(RefineKind.Generate, outside, new(new(0, 20), new(0, 20)));

        Assert.Empty(suggestions);
        Assert.Equal(RefineStopReason.NotRun, outcome.StopReason);
        Assert.Contains("not part of any loaded project", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAndRefineOnCodeThatAlreadyPassesDoesNotAskTheModel()
    {
        var model = new ScriptedChatClient(RightAdd);
        await using var harness = await EngineHarness.StartAsync(model);

        var outcome = await harness.RunAsync(RefineKind.RunAndRefine, harness.Host.LibraryPath("Calculator.cs"), EngineHarness.At(harness.RangeOf("Calculator.cs", "Twice")));

        Assert.Equal(RefineStopReason.NotRun, outcome.StopReason);
        Assert.Contains("already compiles", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(model.Requests);
    }
}
