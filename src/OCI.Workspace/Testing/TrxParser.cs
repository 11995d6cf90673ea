using System.Globalization;
using System.Xml.Linq;
using OCI.Workspace.Feedback;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Testing;

/// <summary>What one TRX file says: each test's result, and run-level messages (test host crashed, hang detected).</summary>
public sealed record TrxRun(IReadOnlyList<TestCaseResult> Results, IReadOnlyList<string> RunMessages, string? RunOutput);

/// <summary>
/// Parses the Visual Studio TRX format that <c>dotnet test --logger trx</c> writes (xunit, NUnit and MSTest all report
/// through it): name, outcome, duration, message, stack trace, captured output. The failure location is the first
/// stack frame that points into the workspace, mapped from the shadow copy back to the user's file.
/// </summary>
public static class TrxParser
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Characters of a test's captured output that are kept (head and tail).</summary>
    public const int MaxOutputCharacters = 2000;

    public static TrxRun Parse(string trxXml, Func<string, string?>? mapWorkspacePath = null)
    {
        mapWorkspacePath ??= p => p;
        var document = XDocument.Parse(trxXml);
        var classNames = ClassNamesByTestId(document);
        var results = new List<TestCaseResult>();
        foreach (var element in document.Descendants(Ns + "UnitTestResult"))
        {
            var name = QualifiedName((string?)element.Attribute("testName") ?? "(unnamed test)", (string?)element.Attribute("testId"), classNames);
            var outcome = MapOutcome((string?)element.Attribute("outcome"));
            var duration = TimeSpan.TryParse((string?)element.Attribute("duration"), CultureInfo.InvariantCulture, out var d) ? d : TimeSpan.Zero;
            var output = element.Element(Ns + "Output");
            var message = output?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")?.Value;
            var stackTrace = output?.Element(Ns + "ErrorInfo")?.Element(Ns + "StackTrace")?.Value;
            var stdout = output?.Element(Ns + "StdOut")?.Value;
            var stderr = output?.Element(Ns + "StdErr")?.Value;
            var captured = string.Join("\n", new[] { stdout, stderr }.Where(s => !string.IsNullOrWhiteSpace(s)));
            string? path = null;
            int? line = null;
            if (stackTrace is not null)
            {
                (path, line) = StackTraceLocations.FirstWorkspaceFrame(stackTrace, mapWorkspacePath);
                stackTrace = StackTraceLocations.MapPaths(stackTrace, mapWorkspacePath);
            }
            results.Add(new TestCaseResult(
                name, outcome, message?.TrimEnd(), stackTrace?.TrimEnd(), path, line,
                captured.Length == 0 ? null : Truncation.HeadAndTail(captured, MaxOutputCharacters), duration));
        }

        var runMessages = document.Descendants(Ns + "RunInfo")
            .Select(r => r.Element(Ns + "Text")?.Value?.Trim())
            .Where(t => !string.IsNullOrEmpty(t))
            .Select(t => t!)
            .ToList();
        var runOutput = document.Root?.Element(Ns + "ResultSummary")?.Element(Ns + "Output")?.Element(Ns + "StdOut")?.Value;
        results.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new TrxRun(results, runMessages, runOutput is null ? null : Truncation.HeadAndTail(runOutput, MaxOutputCharacters));
    }

    /// <summary>
    /// The class of each test definition. xunit writes the fully qualified name as <c>testName</c>, NUnit and MSTest
    /// only the method (or display) name; the class makes their names as unambiguous, and filterable, as xunit's.
    /// </summary>
    private static Dictionary<string, string> ClassNamesByTestId(XDocument document)
    {
        var classNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var unitTest in document.Descendants(Ns + "UnitTest"))
        {
            if ((string?)unitTest.Attribute("id") is { } id && (string?)unitTest.Element(Ns + "TestMethod")?.Attribute("className") is { Length: > 0 } className)
            {
                classNames[id] = className;
            }
        }
        return classNames;
    }

    private static string QualifiedName(string testName, string? testId, Dictionary<string, string> classNames) =>
        testId is not null && classNames.TryGetValue(testId, out var className) && !testName.StartsWith(className + ".", StringComparison.Ordinal)
            ? $"{className}.{testName}"
            : testName;

    private static TestOutcome MapOutcome(string? outcome) => outcome switch
    {
        "Passed" or "PassedButRunAborted" => TestOutcome.Passed,
        "Failed" or "Error" or "Timeout" or "Aborted" => TestOutcome.Failed,
        "NotExecuted" or "Inconclusive" => TestOutcome.Skipped,
        _ => TestOutcome.NotRun,
    };
}
