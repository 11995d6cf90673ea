using OCI.Workspace.Processes;

namespace OCI.Workspace;

/// <summary>
/// Settings of the verification layer (section <c>oci.verification</c> of schemas/settings.schema.json).
/// A plain, serialisable record, in the manner of LLamaSharp's ModelParams.
/// </summary>
public sealed record VerificationSettings
{
    /// <summary>Run the real build (MSBuild in the shadow copy) after the in-memory compile succeeds.</summary>
    public bool Build { get; init; } = true;

    /// <summary>Run the tests that exercise the changed code after a successful build.</summary>
    public bool RunTests { get; init; } = true;

    public int BuildTimeoutSeconds { get; init; } = 180;

    public int TestTimeoutSeconds { get; init; } = 60;

    /// <summary>Characters of feedback the model reads per round; longer output keeps its head and tail.</summary>
    public int MaxFeedbackCharacters { get; init; } = 4000;

    /// <summary>
    /// Run <c>dotnet restore</c> when loading a workspace whose projects have no obj/project.assets.json (writes obj/
    /// in the user's tree, as an IDE's automatic restore does); without it package references do not resolve.
    /// </summary>
    public bool RestoreOnLoad { get; init; } = true;

    /// <summary>
    /// Build test rounds by emitting the changed projects from Roslyn's warm compilations into the shadow copy instead
    /// of running MSBuild; a candidate whose tests pass this way is confirmed by a real build and test run.
    /// </summary>
    public bool FastTestRounds { get; init; } = true;

    /// <summary>
    /// Run xunit v2 test assemblies in a test host kept warm between rounds (a separate process in the shadow copy,
    /// killed on timeout) instead of starting <c>dotnet test</c> (VSTest + testhost, about a second) every round; other
    /// frameworks, and this switch off, use <c>dotnet test</c>.
    /// </summary>
    public bool WarmTestHost { get; init; } = true;

    /// <summary>
    /// Whether the build and the tests (generated code) run in the OS sandbox: auto (where available; status and progress
    /// say when not), required (refuse to run generated code without it), off.
    /// </summary>
    public SandboxMode Sandbox { get; init; } = SandboxMode.Auto;

    /// <summary>The bubblewrap executable; null looks for <c>bwrap</c> on the PATH.</summary>
    public string? BubblewrapPath { get; init; }

    /// <summary>
    /// The solution to open in a workspace folder that holds several (file name, or path relative to the folder); null
    /// opens the one named like the folder, else the first by name, and says which.
    /// </summary>
    public string? Solution { get; init; }

    /// <summary>
    /// After loading, build the user's code as it is and run its whole suite in the background, so tests that already
    /// fail are known and a candidate is not blamed for them (from the committed HEAD when the code does not compile).
    /// </summary>
    public bool KnownFailuresOnLoad { get; init; } = true;

    /// <summary>
    /// Keep what MSBuild's design-time build said about each project (options, references, files) under the shadow base
    /// folder, so a restarted server has the solution at once while MSBuild confirms it in the background; used only
    /// while the project, MSBuild and restore files and the set of C# files are unchanged.
    /// </summary>
    public bool ProjectLoadCache { get; init; } = true;

    /// <summary>Where shadow copies (and the project load cache) live; null means the system temp folder.</summary>
    public string? ShadowRoot { get; init; }
}
