using OCI.Engine.Refine;
using OCI.Models;
using OCI.Workspace;

namespace OCI.Engine;

/// <summary>Settings of the refine loop (section <c>oci.refine</c>).</summary>
public sealed record RefineSettings
{
    /// <summary>Model rounds per task (round 0 is the first candidate; each later round follows feedback).</summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary>Offer Roslyn's own code fixes as candidates for "fix diagnostic" (they need no model).</summary>
    public bool UseRoslynFixes { get; init; } = true;

    /// <summary>Fix diagnostic: Roslyn's fixes applied one after another (a fix, then a fix for what it left, …) at most.</summary>
    public int FixChainDepth { get; init; } = 3;

    /// <summary>Fix diagnostic: Roslyn's fixes tried for each error in a chain (in Roslyn's order).</summary>
    public int FixChainWidth { get; init; } = 3;

    /// <summary>Candidates the model writes per round from one prompt; the best is kept, a verified one ends the round.</summary>
    public int CandidatesPerRound { get; init; } = 1;

    /// <summary>Fix diagnostic: seconds the search through chained fixes may take before the model is asked.</summary>
    public int FixChainTimeBudgetSeconds { get; init; } = 20;

    /// <summary>When set, each session is appended as one JSON line (Code-Feedback shape) to this file.</summary>
    public string? TrajectoryLogPath { get; init; }

    /// <summary>Send the edit as a change annotation that needs confirmation, so the editor previews it before applying.</summary>
    public bool PreviewEdits { get; init; }

    /// <summary>The fix-chain settings as the loop's limits.</summary>
    public FixSearchLimits ToFixSearchLimits() => new(Math.Max(1, FixChainDepth), Math.Max(1, FixChainWidth), TimeSpan.FromSeconds(Math.Max(1, FixChainTimeBudgetSeconds)));
}

/// <summary>Settings of the background fix-its (section <c>oci.suggestions</c>).</summary>
public sealed record SuggestionSettings
{
    /// <summary>Verify fix-its for the open documents' compile errors in the background (Roslyn's fixes, no model unless <see cref="UseModel"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Also ask the model when Roslyn's fixes do not verify (costs model time on every pause in typing).</summary>
    public bool UseModel { get; init; }
}

/// <summary>
/// All user settings, as the editor sends them under the <c>oci</c> section. Each layer owns its part; this record
/// only groups them. schemas/settings.schema.json describes exactly this shape.
/// </summary>
public sealed record OciSettings
{
    public ModelSettings Model { get; init; } = new();

    public RefineSettings Refine { get; init; } = new();

    public VerificationSettings Verification { get; init; } = new();

    public SuggestionSettings Suggestions { get; init; } = new();
}
