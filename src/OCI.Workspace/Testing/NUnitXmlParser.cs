using System.Globalization;
using System.Xml.Linq;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>
/// Parses NUnit's own result file (NUnit 3 format, <c>&lt;test-run&gt;</c>), which NUnit's Microsoft.Testing.Platform
/// runner writes when its run settings name a <c>TestOutputXml</c> folder: the structured per-test source for an NUnit
/// test application that has no TRX report extension. Each <c>test-case</c> gives its full name, result, failure message
/// (expected/actual as NUnit words them), stack trace and captured output.
/// </summary>
public static class NUnitXmlParser
{
    public static TrxRun Parse(string xml, Func<string, string?>? mapWorkspacePath = null)
    {
        mapWorkspacePath ??= p => p;
        var document = XDocument.Parse(xml);
        var results = new List<TestCaseResult>();
        foreach (var testCase in document.Descendants("test-case"))
        {
            var name = (string?)testCase.Attribute("fullname") ?? (string?)testCase.Attribute("name") ?? "(unnamed test)";
            var outcome = MapOutcome((string?)testCase.Attribute("result"), (string?)testCase.Attribute("label"));
            var duration = double.TryParse((string?)testCase.Attribute("duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            var failure = testCase.Element("failure");
            var message = failure?.Element("message")?.Value ?? testCase.Element("reason")?.Element("message")?.Value;
            var stackTrace = failure?.Element("stack-trace")?.Value;
            var output = testCase.Element("output")?.Value;
            string? path = null;
            int? line = null;
            if (!string.IsNullOrWhiteSpace(stackTrace))
            {
                (path, line) = StackTraceLocations.FirstWorkspaceFrame(stackTrace, mapWorkspacePath);
                stackTrace = StackTraceLocations.MapPaths(stackTrace, mapWorkspacePath);
            }
            else
            {
                stackTrace = null;
            }
            results.Add(new TestCaseResult(
                name, outcome, string.IsNullOrWhiteSpace(message) ? null : message.Trim(), stackTrace?.TrimEnd(), path, line,
                string.IsNullOrWhiteSpace(output) ? null : Truncation.HeadAndTail(output, TrxParser.MaxOutputCharacters), duration));
        }
        results.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        // A failure outside any test (a one-time setup that threw) is reported on its suite.
        var runMessages = document.Descendants("test-suite")
            .Where(s => (string?)s.Attribute("result") == "Failed" && (string?)s.Attribute("site") is "SetUp" or "TearDown")
            .Select(s => $"{(string?)s.Attribute("fullname")}: {s.Element("failure")?.Element("message")?.Value?.Trim()}")
            .ToList();
        return new TrxRun(results, runMessages, null);
    }

    private static TestOutcome MapOutcome(string? result, string? label) => result switch
    {
        "Passed" => TestOutcome.Passed,
        "Failed" => TestOutcome.Failed,
        "Skipped" or "Inconclusive" => TestOutcome.Skipped,
        "Warning" => TestOutcome.Passed,
        _ => label is "Invalid" ? TestOutcome.Failed : TestOutcome.NotRun,
    };
}
