using System.Text.Json;
using OCI.Engine;
using OCI.Engine.Refine;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary>The mapping between PROTOCOL.md commands and the engine's kinds, and the validation of their arguments.</summary>
internal static class RefineCommands
{
    public static string CommandFor(RefineKind kind) => kind switch
    {
        RefineKind.Generate => OciCommands.Generate,
        RefineKind.RunAndRefine => OciCommands.RunAndRefine,
        RefineKind.FixDiagnostic => OciCommands.FixDiagnostic,
        RefineKind.RefineSelection => OciCommands.RefineSelection,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static RefineKind? KindFor(string command) => command switch
    {
        OciCommands.Generate => RefineKind.Generate,
        OciCommands.RunAndRefine => RefineKind.RunAndRefine,
        OciCommands.FixDiagnostic => RefineKind.FixDiagnostic,
        OciCommands.RefineSelection => RefineKind.RefineSelection,
        _ => null,
    };

    public static string Title(RefineKind kind) => kind switch
    {
        RefineKind.Generate => "OCI: Generate",
        RefineKind.RunAndRefine => "OCI: Run & Refine",
        RefineKind.FixDiagnostic => "OCI: Fix diagnostic",
        _ => "OCI: Refine selection",
    };

    public static string StopReason(RefineStopReason reason) => reason switch
    {
        RefineStopReason.Verified => OciStopReasons.Verified,
        RefineStopReason.RoundLimit => OciStopReasons.RoundLimit,
        RefineStopReason.NoCode => OciStopReasons.NoCode,
        RefineStopReason.NoModel => OciStopReasons.NoModel,
        RefineStopReason.NotRun => OciStopReasons.NotRun,
        RefineStopReason.NoWorse => OciStopReasons.NoWorse,
        RefineStopReason.Cancelled => OciStopReasons.Cancelled,
        RefineStopReason.Stale => OciStopReasons.Stale,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown stop reason"),
    };

    public static string VerificationStatus(OCI.Workspace.Verification.VerificationStatus status) => status switch
    {
        OCI.Workspace.Verification.VerificationStatus.Passed => OciVerificationStatuses.Passed,
        OCI.Workspace.Verification.VerificationStatus.CompileErrors => OciVerificationStatuses.CompileErrors,
        OCI.Workspace.Verification.VerificationStatus.BuildSystemError => OciVerificationStatuses.BuildSystemError,
        OCI.Workspace.Verification.VerificationStatus.TestsFailed => OciVerificationStatuses.TestsFailed,
        OCI.Workspace.Verification.VerificationStatus.TimedOut => OciVerificationStatuses.TimedOut,
        OCI.Workspace.Verification.VerificationStatus.Crashed => OciVerificationStatuses.Crashed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown verification status"),
    };

    /// <summary>Reads and checks the single argument; every problem is a -32602 with a sentence saying what is wrong.</summary>
    public static RefineCommandArguments ParseArguments(string command, RefineKind kind, IReadOnlyList<JsonElement>? arguments)
    {
        if (arguments is not { Count: 1 } || arguments[0].ValueKind != JsonValueKind.Object)
        {
            throw LspErrors.InvalidParams($"{command} takes one argument: an object with textDocument and range (see PROTOCOL.md).");
        }
        RefineCommandArguments parsed;
        try
        {
            parsed = arguments[0].Deserialize<RefineCommandArguments>(LspJson.Options)
                ?? throw LspErrors.InvalidParams($"{command}: the argument is null.");
        }
        catch (JsonException ex)
        {
            throw LspErrors.InvalidParams($"{command}: the argument does not match RefineCommandArguments: {ex.Message}");
        }
        if (parsed.TextDocument is null || string.IsNullOrWhiteSpace(parsed.TextDocument.Uri))
        {
            throw LspErrors.InvalidParams($"{command}: textDocument.uri is required.");
        }
        if (parsed.Range is null)
        {
            throw LspErrors.InvalidParams($"{command}: range is required.");
        }
        if (parsed.Range.Start.Line < 0 || parsed.Range.Start.Character < 0 || parsed.Range.End.Line < 0 || parsed.Range.End.Character < 0)
        {
            throw LspErrors.InvalidParams($"{command}: range positions must not be negative.");
        }
        if (kind == RefineKind.RefineSelection && string.IsNullOrWhiteSpace(parsed.Instruction))
        {
            throw LspErrors.InvalidParams($"{command}: instruction is required (the client asks the user for it).");
        }
        return parsed;
    }
}
