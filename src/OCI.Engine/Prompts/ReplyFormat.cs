namespace OCI.Engine.Prompts;

/// <summary>
/// The fixed reply format every prompt asks for. Small local models follow one short, repeated rule far better than
/// a format description: exactly one fenced csharp block, nothing else. Extraction tolerates deviations anyway.
/// </summary>
public static class ReplyFormat
{
    public const string SystemPrompt =
        "You are an expert C# programmer working inside the user's code base. " +
        "You write code that compiles with the code around it and makes the tests pass. " +
        "Answer with exactly one ```csharp code block and no explanation. " +
        "Do not change signatures the rest of the code relies on, and do not add new files.";

    /// <summary>"Reply with exactly one ```csharp block holding the complete method `Add` (signature and body)."</summary>
    public static string ForMember(string what) =>
        $"Reply with exactly one ```csharp code block holding the complete {what} (signature and body), and nothing else.";

    public static string ForSelection() =>
        "Reply with exactly one ```csharp code block holding only the code that replaces the selection, and nothing else.";

    public static string ForFile(string fileName) =>
        $"Reply with exactly one ```csharp code block holding the complete corrected file {fileName}, and nothing else.";
}
