namespace OCI.Workspace.Verification;

/// <summary>
/// Where the failures a result excuses were measured. The first six are the known outcomes of the whole suite (tests
/// that do not reach the change); the last two come from the differential check of the tests that do reach it (fix
/// diagnostic only: <see cref="VerificationRequest.ExcuseFailuresThatFailedBefore"/>).
/// </summary>
public enum KnownFailuresSource
{
    /// <summary>The user's code as loaded, built and run whole in the background.</summary>
    CodeAsLoaded,
    /// <summary>The user's code as a later check built and ran it whole.</summary>
    CodeAsLastChecked,
    /// <summary>The saved files, when only the editor's buffers kept the code from compiling at load.</summary>
    SavedFiles,
    /// <summary>The committed HEAD, when the code did not compile at load.</summary>
    CommittedHead,
    /// <summary>The test assemblies the user built, up to date with every source file.</summary>
    BuiltTestsUpToDate,
    /// <summary>The test assemblies the user built, before the latest source changes.</summary>
    BuiltTestsBeforeLatestChanges,
    /// <summary>The same tests failed the same way on the saved files (they compile; the editor's buffers do not).</summary>
    SameFailureInSavedFiles,
    /// <summary>The same tests failed the same way at the committed HEAD.</summary>
    SameFailureAtCommittedHead,
}

/// <summary>The words for a <see cref="KnownFailuresSource"/>, as results, logs and the protocol say it.</summary>
public static class KnownFailuresSources
{
    public static string Describe(this KnownFailuresSource source) => source switch
    {
        KnownFailuresSource.CodeAsLoaded => "your code as loaded",
        KnownFailuresSource.CodeAsLastChecked => "your code as it was last checked",
        KnownFailuresSource.SavedFiles => "your saved files",
        KnownFailuresSource.CommittedHead => "the committed HEAD",
        KnownFailuresSource.BuiltTestsUpToDate => "the test assemblies built on disk, up to date",
        KnownFailuresSource.BuiltTestsBeforeLatestChanges => "the test assemblies built on disk, before your latest changes",
        KnownFailuresSource.SameFailureInSavedFiles => "the same failure in your saved files, run just now",
        KnownFailuresSource.SameFailureAtCommittedHead => "the same failure at the committed HEAD, run just now",
        _ => source.ToString(),
    };
}
