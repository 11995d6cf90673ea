using System.Text.Json;
using Microsoft.Extensions.Logging;
using OCI.Engine;
using OCI.Engine.Refine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Configuration;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.Commands;

/// <summary>
/// Runs one refine command: snapshot the open documents, run the engine with work-done progress, and offer the result
/// as one versioned <c>workspace/applyEdit</c> — unless a document changed meanwhile (stale: nothing is sent and the
/// user is told). The outcome summary is always shown. <c>$/cancelRequest</c> answers -32800; cancelling the progress
/// or <c>oci.cancel</c> ends the task with stopReason <c>cancelled</c>.
/// </summary>
internal sealed class RefineCommandRunner(
    IRefineEngine engine,
    DocumentStore documents,
    ServerState state,
    ClientConnection client,
    TraceChannel trace,
    RunningTasks runningTasks,
    SettingsService settings,
    BackgroundWork background,
    FixIts.FixItWorker fixIts,
    ILogger<RefineCommandRunner> logger)
{
    private readonly ILogger _logger = logger;

    public async Task<RefineCommandResult> RunAsync(RefineKind kind, RefineCommandArguments arguments, JsonElement? workDoneToken, CancellationToken requestCancellation)
    {
        var command = RefineCommands.CommandFor(kind);
        var uri = arguments.TextDocument!.Uri;
        var documentsAtStart = documents.Snapshot();
        var diskAtStart = engine.DiskGeneration;
        if (!documentsAtStart.TryGetValue(uri, out var snapshot))
        {
            throw LspErrors.InvalidParams($"{command}: {uri} is not open in the editor (open it first).");
        }
        if (snapshot.Path is null)
        {
            throw LspErrors.InvalidParams($"{command}: {uri} is not a file on disk.");
        }
        if (arguments.TextDocument.Version is { } version && version != snapshot.Version)
        {
            var message = $"{RefineCommands.Title(kind)}: not started, because the document changed since the action was offered (version {version}, now {snapshot.Version}).";
            await client.ShowMessageAsync(MessageType.Warning, message).ConfigureAwait(false);
            return new RefineCommandResult(false, false, message, 0, OciStopReasons.Stale, arguments.ConversationId);
        }

        var encoding = state.PositionEncoding;
        var request = new RefineRequest(kind, snapshot.Path, snapshot.ToLinePositionSpan(arguments.Range!, encoding),
            arguments.Instruction, arguments.DiagnosticCode, arguments.ConversationId) { ConfirmLater = true };

        // The user asked: the background fix-it of this document does the same work and would compete for the cores.
        fixIts.CommandStarted(uri);
        using var registration = runningTasks.Start(requestCancellation, out var taskCancellation);
        await using var progress = await WorkDoneProgress.CreateAsync(client, state, workDoneToken, _logger, taskCancellation).ConfigureAwait(false);
        registration.SetProgressToken(progress.Token);
        progress.Begin(RefineCommands.Title(kind), "starting", cancellable: true);
        await trace.LogAsync($"{command} started on {uri}").ConfigureAwait(false);

        RefineOutcome outcome;
        var engineWatch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var engineProgress = new CallbackProgress<RefineProgress>(p => progress.Report(
                $"round {p.Round}/{p.MaxRounds}: {p.Message}",
                p.MaxRounds > 0 ? Math.Clamp(p.Round * 100 / p.MaxRounds, 0, 100) : null));
            outcome = await engine.RunAsync(request, engineProgress, taskCancellation).ConfigureAwait(false);
            // The engine reports cancellation as an outcome, not an exception; $/cancelRequest must still answer -32800.
            if (outcome.StopReason == RefineStopReason.Cancelled)
            {
                requestCancellation.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (requestCancellation.IsCancellationRequested)
        {
            await progress.EndAsync("cancelled").ConfigureAwait(false);
            await trace.LogAsync($"{command} cancelled by $/cancelRequest").ConfigureAwait(false);
            throw; // StreamJsonRpc answers -32800
        }
        catch (OperationCanceledException) when (taskCancellation.IsCancellationRequested)
        {
            outcome = new RefineOutcome(false, "Cancelled.", [], 0, RefineStopReason.Cancelled, arguments.ConversationId);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Command} failed", command);
            await progress.EndAsync("failed").ConfigureAwait(false);
            await client.ShowMessageAsync(MessageType.Error, $"{RefineCommands.Title(kind)} failed: {ex.Message}").ConfigureAwait(false);
            throw LspErrors.RequestFailed($"{command} failed: {ex.Message}");
        }

        engineWatch.Stop();
        if (outcome.Changes.Count > 0 && engine.DiskGeneration != diskAtStart)
        {
            // Files changed on disk (a checkout) while the task ran: its edit was computed against files that are gone.
            outcome = outcome with
            {
                Changes = [],
                Summary = $"{outcome.Summary} The edit was not applied because files changed on disk while the task ran; run it again.",
            };
            var stale = new RefineCommandResult(false, false, outcome.Summary, outcome.RoundsUsed, OciStopReasons.Stale, arguments.ConversationId);
            await client.ShowMessageAsync(MessageType.Warning, $"{RefineCommands.Title(kind)}: {outcome.Summary}").ConfigureAwait(false);
            await progress.EndAsync(stale.Summary).ConfigureAwait(false);
            await trace.LogAsync($"{command} finished: {stale.StopReason}", stale.Summary).ConfigureAwait(false);
            return stale;
        }

        var result = await OfferAsync(kind, outcome, documentsAtStart, requestCancellation).ConfigureAwait(false);
        result = result with { Verification = Scope(outcome), Timings = Timings(outcome, engineWatch.Elapsed) };
        if (outcome.Result?.PendingConfirmation is { } pending)
        {
            ReportConfirmationLater(uri, command, pending, result.Applied);
        }
        await progress.EndAsync(result.Summary).ConfigureAwait(false);
        if (outcome.StopReason == RefineStopReason.NoModel)
        {
            // Loading is lazy: a model that failed to load only now shows its problem; the status bar must say so.
            await settings.SendStatusAsync().ConfigureAwait(false);
        }
        await trace.LogAsync($"{command} finished: {result.StopReason}", result.Summary).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The real build and whole suite of an edit offered on its in-memory build: when they finish, the client gets
    /// <c>oci/verificationConfirmed</c>, and a warning when they fail (the edit is already in the buffer, undoable).
    /// </summary>
    private void ReportConfirmationLater(string uri, string command, OCI.Workspace.Verification.ConfirmationId pending, bool applied)
    {
        background.Run("confirming " + command, async cancellationToken =>
        {
            var confirmed = await engine.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
            if (confirmed.Superseded)
            {
                // Not a verdict: a later edit's confirmation covers the newer state; say so and nothing more.
                var superseded = $"Not confirmed on its own: a later edit was offered, and its confirmation checks the newer state (this edit was verified as offered: {ResultDescription.Of(confirmed)}).";
                await trace.LogAsync($"{command} confirmation: superseded", superseded).ConfigureAwait(false);
                await client.NotifyAsync(OciMethods.VerificationConfirmed,
                    new VerificationConfirmedParams(uri, command, false, superseded, ScopeOf(confirmed) with { RealBuild = RealBuildStates.NotRun }, Superseded: true)).ConfigureAwait(false);
                return;
            }
            var ok = confirmed.Status == OCI.Workspace.Verification.VerificationStatus.Passed;
            var summary = ok
                ? $"Confirmed by the real build: {ResultDescription.Of(confirmed)}."
                : $"The real build or test run of the {(applied ? "applied" : "offered")} edit failed: {ResultDescription.Of(confirmed)}.{(confirmed.Message is { } m ? " " + m : "")}";
            await trace.LogAsync($"{command} confirmation: {(ok ? "passed" : "failed")}", summary).ConfigureAwait(false);
            await client.NotifyAsync(OciMethods.VerificationConfirmed,
                new VerificationConfirmedParams(uri, command, ok, summary, ScopeOf(confirmed))).ConfigureAwait(false);
            if (!ok && applied)
            {
                await client.ShowMessageAsync(MessageType.Warning, $"{command}: {summary}").ConfigureAwait(false);
            }
        });
    }

    private static VerificationScope? Scope(RefineOutcome outcome) =>
        outcome.Changes.Count == 0 || outcome.Result is not { } result ? null : ScopeOf(result);

    private static VerificationScope ScopeOf(OCI.Workspace.Verification.VerificationResult result) => new(
        result.Compiles && result.NewErrorCount == 0,
        result.ImpactedTests,
        result.WholeSuite,
        result.PassedTests,
        result.FailedTests,
        result.KnownFailures,
        result.PendingConfirmation is not null ? RealBuildStates.Pending : result.RealBuild ? RealBuildStates.Passed : RealBuildStates.NotRun,
        result.KnownFailuresSource is { } source ? OCI.Workspace.Verification.KnownFailuresSources.Describe(source) : null)
    {
        ReachingTests = result.ReachingTests,
    };

    private static RefineTimings Timings(RefineOutcome outcome, TimeSpan engine)
    {
        var result = outcome.Result;
        var compile = (long)(result?.CompileTime.TotalMilliseconds ?? 0);
        var build = (long)(result?.BuildTime.TotalMilliseconds ?? 0);
        var test = (long)(result?.TestTime.TotalMilliseconds ?? 0);
        var total = (long)engine.TotalMilliseconds;
        return new RefineTimings(total, compile, build, test, Math.Max(0, total - compile - build - test))
        {
            BaselineMs = outcome.BaselineMs,
            // The engine counts rounds from 0; the protocol from 1, as its progress messages do.
            Rounds = [.. outcome.RoundTimings.Select(r => new RefineRoundTiming(r.Round + 1, RefineCommands.VerificationStatus(r.Status),
                r.ModelMs, r.VerifyMs, r.CompileMs, r.BuildMs, r.TestMs, r.NewErrors, r.Passed, r.Failed))],
        };
    }

    private async Task<RefineCommandResult> OfferAsync(
        RefineKind kind,
        RefineOutcome outcome,
        System.Collections.Immutable.ImmutableDictionary<string, TextDocumentSnapshot> documentsAtStart,
        CancellationToken requestCancellation)
    {
        var title = RefineCommands.Title(kind);
        var stopReason = RefineCommands.StopReason(outcome.StopReason);
        var applied = false;
        var offered = false;
        var summary = outcome.Summary;
        var messageType = outcome.Verified ? MessageType.Info : MessageType.Warning;

        if (outcome.Changes.Count > 0 && outcome.StopReason != RefineStopReason.Cancelled)
        {
            requestCancellation.ThrowIfCancellationRequested();
            var plan = await WorkspaceEditBuilder.PlanAsync(outcome.Changes, documentsAtStart, documents, state, requestCancellation).ConfigureAwait(false);
            foreach (var problem in plan.Problems)
            {
                await client.LogMessageAsync(MessageType.Warning, problem).ConfigureAwait(false);
            }
            if (plan.StaleDocuments.Count > 0)
            {
                stopReason = OciStopReasons.Stale;
                summary = $"{outcome.Summary} The edit was not applied because {string.Join(", ", plan.StaleDocuments.Select(Path.GetFileName))} changed while the task ran.";
                messageType = MessageType.Warning;
            }
            else if (plan.Edit is not null && outcome.NeedsConfirmation)
            {
                // Not verified: never applied by itself. Offered where the editor can ask the user, named otherwise.
                offered = true;
                var candidate = outcome.CandidateDescription is { } described ? $"\"{described}\"" : "the best candidate";
                var whatFails = outcome.WhatFails ?? "not verified";
                if (!state.ClientSupportsApplyEdit || !state.ClientSupportsChangeAnnotations)
                {
                    summary = $"{outcome.Summary} This editor cannot ask you to confirm an edit (no workspace.workspaceEdit.changeAnnotationSupport), so none was sent: {candidate} {whatFails}.";
                    messageType = MessageType.Warning;
                }
                else
                {
                    var label = $"{title}: unverified, {whatFails}";
                    (applied, summary, messageType) = await ApplyAsync(EditPreview.NeedsConfirmation(plan.Edit, label, summary), label, outcome.Summary, MessageType.Warning).ConfigureAwait(false);
                }
            }
            else if (plan.Edit is not null)
            {
                if (!state.ClientSupportsApplyEdit)
                {
                    summary = $"{outcome.Summary} The edit was not applied: this editor does not support workspace/applyEdit.";
                    messageType = MessageType.Warning;
                }
                else
                {
                    var edit = settings.Current.Refine.PreviewEdits && state.ClientSupportsChangeAnnotations
                        ? EditPreview.NeedsConfirmation(plan.Edit, title, summary)
                        : plan.Edit;
                    (applied, summary, messageType) = await ApplyAsync(edit, title, outcome.Summary, messageType).ConfigureAwait(false);
                }
            }
        }

        await client.ShowMessageAsync(messageType, $"{title}: {summary}").ConfigureAwait(false);
        return new RefineCommandResult(applied, outcome.VerifiedNow, summary, outcome.RoundsUsed, stopReason, outcome.ConversationId) { Offered = offered };
    }

    /// <summary>Sends the edit; the summary says so when the editor did not apply it (declined in a preview, failed).</summary>
    private async Task<(bool Applied, string Summary, MessageType MessageType)> ApplyAsync(WorkspaceEdit edit, string label, string summary, MessageType messageType)
    {
        try
        {
            var response = await client.ApplyEditAsync(new ApplyWorkspaceEditParams(edit, label), CancellationToken.None).ConfigureAwait(false);
            return response.Applied
                ? (true, summary, messageType)
                : (false, $"{summary} The editor did not apply the edit{(response.FailureReason is { } reason ? ": " + reason : ".")}", MessageType.Warning);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "workspace/applyEdit failed");
            return (false, $"{summary} The edit could not be applied: {ex.Message}", MessageType.Error);
        }
    }
}
