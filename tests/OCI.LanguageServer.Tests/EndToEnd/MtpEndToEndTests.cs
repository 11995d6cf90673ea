using Microsoft.Extensions.AI;

namespace OCI.LanguageServer.Tests.EndToEnd;

/// <summary>tests/fixtures/MtpFailing (xunit.v3, NUnit, MSTest and TUnit test applications under an MTP global.json) with a scripted model.</summary>
public sealed class MtpFailingWorkspaceWithScriptedModel() : ScriptedModelWorkspace("MtpFailing");

/// <summary>
/// Run &amp; refine through the real server on a repository whose tests run on Microsoft.Testing.Platform: the first
/// request carries each framework's real failure (its name, and its own expected/actual wording) from the real run of
/// the user's code, and the right reply is applied verified.
/// </summary>
[Trait(TestSpeed.Name, TestSpeed.Slow)]
public sealed class MtpEndToEndTests(MtpFailingWorkspaceWithScriptedModel fixture) : ServerOnWorkspaceTests<MtpFailingWorkspaceWithScriptedModel>(fixture)
{
    private const string RightReply = "The sum:\n```csharp\npublic static int Add(int a, int b)\n{\n    return a + b;\n}\n```";

    [Fact]
    public async Task Run_and_refine_asks_first_with_each_frameworks_real_failure_and_applies_the_right_reply_verified()
    {
        var model = Fixture.Model.Current = new ScriptedChatClient(RightReply);
        var document = await Server.OpenAsync("Calc/Calculator.cs");
        Assert.Contains("return a - b;", document.Text, StringComparison.Ordinal);
        var arguments = EndToEndServer.CommandArguments(document, TextEdits.PositionOf(document.Text, "return a - b"));

        var result = Result(await Server.RunCommandAsync("oci.runAndRefine", arguments));

        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.True((bool)result["applied"]!, result.ToJsonString());
        var first = Assert.Single(model.Requests).Last(m => m.Role == ChatRole.User).Text;
        foreach (var project in new[] { "Xunit3.Tests", "NUnit.Tests", "MSTest.Tests", "TUnit.Tests" })
        {
            Assert.Contains($"FAILED {project}.CalculatorTests.Add_ReturnsSum\n", first, StringComparison.Ordinal);
            Assert.DoesNotContain($"FAILED {project}.CalculatorTests.Add_Zero", first, StringComparison.Ordinal);
        }
        // Each framework's own words for 5 expected and -1 found.
        Assert.Contains("Expected: 5", first, StringComparison.Ordinal); // xunit.v3 and NUnit
        Assert.Contains("Actual:   -1", first, StringComparison.Ordinal); // xunit.v3
        Assert.Contains("But was:  -1", first, StringComparison.Ordinal); // NUnit
        Assert.Contains("expected: 5", first, StringComparison.Ordinal); // MSTest
        Assert.Contains("Expected to be 5", first, StringComparison.Ordinal); // TUnit
        Assert.Contains("but found -1", first, StringComparison.Ordinal);
    }
}
