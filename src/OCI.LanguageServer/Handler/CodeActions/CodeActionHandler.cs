using System.Text.Json;
using Microsoft.CodeAnalysis.Text;
using OCI.Engine;
using OCI.LanguageServer.Documents;
using OCI.LanguageServer.Handler.Commands;
using OCI.LanguageServer.Handler.FixIts;
using OCI.LanguageServer.Protocol;
using OCI.LanguageServer.Server;

namespace OCI.LanguageServer.Handler.CodeActions;

/// <summary>
/// <c>textDocument/codeAction</c>: asks the engine what applies at the range (no model call, no build) and offers each
/// suggestion as a code action whose command carries the PROTOCOL.md arguments. Fix-diagnostic actions are quick
/// fixes tied to their diagnostics; the others are <c>refactor.rewrite</c>. Fix-its verified in the background
/// (<see cref="FixItWorker"/>) come first: preferred quick fixes that carry their edit.
/// </summary>
internal sealed class CodeActionHandler(IRefineEngine engine, DocumentStore documents, ServerState state, FixItWorker fixIts)
    : IRequestHandler<CodeActionHandler, CodeActionParams, IReadOnlyList<object>>
{
    public static string Method => LspMethods.CodeAction;

    public static HandlerOrdering Ordering => HandlerOrdering.Concurrent;

    public async Task<IReadOnlyList<object>> HandleAsync(CodeActionParams parameters, CancellationToken cancellationToken)
    {
        var uri = parameters.TextDocument.Uri;
        var snapshot = documents.Get(uri);
        var path = snapshot?.Path ?? UriPaths.TryGetLocalPath(uri);
        if (path is null)
        {
            return [];
        }
        var encoding = state.PositionEncoding;
        LinePositionSpan ToSpan(Protocol.Range range) => snapshot is not null
            ? snapshot.ToLinePositionSpan(range, encoding)
            : new LinePositionSpan(new LinePosition(Math.Max(0, range.Start.Line), Math.Max(0, range.Start.Character)),
                new LinePosition(Math.Max(0, range.End.Line), Math.Max(0, range.End.Character)));
        Protocol.Range FromSpan(LinePositionSpan span) => snapshot is not null
            ? snapshot.FromLinePositionSpan(span, encoding)
            : new Protocol.Range(new Position(span.Start.Line, span.Start.Character), new Position(span.End.Line, span.End.Character));

        var diagnostics = parameters.Context.Diagnostics;
        var editorDiagnostics = diagnostics.Select(d => new EditorDiagnostic(d.CodeText, ToSpan(d.Range), d.Message)).ToList();
        var suggestions = await engine
            .SuggestActionsAsync(path, ToSpan(parameters.Range), editorDiagnostics, cancellationToken)
            .ConfigureAwait(false);

        var result = new List<object>();
        if (snapshot is not null && state.ClientSupportsCodeActionLiterals && Allows(parameters.Context.Only, CodeActionKind.QuickFix))
        {
            // Verified in the background: the edit is ready, applying it needs no command and no wait.
            foreach (var fixIt in fixIts.Store.At(uri, snapshot.Version, parameters.Range))
            {
                result.Add(new CodeAction
                {
                    Title = fixIt.Title,
                    Kind = CodeActionKind.QuickFix,
                    IsPreferred = true,
                    Diagnostics = diagnostics.Where(d => d.CodeText == fixIt.DiagnosticCode).ToList(),
                    Edit = fixIt.Edit,
                });
            }
        }
        foreach (var suggestion in suggestions)
        {
            var kind = suggestion.Kind == RefineKind.FixDiagnostic ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
            if (!Allows(parameters.Context.Only, kind))
            {
                continue;
            }
            var arguments = new RefineCommandArguments
            {
                TextDocument = new OptionalVersionedTextDocumentIdentifier(uri, snapshot?.Version),
                Range = FromSpan(suggestion.Range),
                DiagnosticCode = suggestion.DiagnosticId,
            };
            var command = new Command
            {
                Title = suggestion.Title,
                CommandIdentifier = RefineCommands.CommandFor(suggestion.Kind),
                Arguments = [JsonSerializer.SerializeToElement(arguments, LspJson.Options)],
            };
            if (!state.ClientSupportsCodeActionLiterals)
            {
                result.Add(command);
                continue;
            }
            result.Add(new CodeAction
            {
                Title = suggestion.Title,
                Kind = kind,
                IsPreferred = suggestion.IsPreferred ? true : null,
                Diagnostics = suggestion.Kind == RefineKind.FixDiagnostic
                    ? diagnostics.Where(d => suggestion.DiagnosticId is null || d.CodeText == suggestion.DiagnosticId).ToList()
                    : null,
                Command = command,
                Data = JsonSerializer.SerializeToElement(command, LspJson.Options),
            });
        }
        return result;
    }

    private static bool Allows(IReadOnlyList<string>? only, string kind) =>
        only is not { Count: > 0 } || only.Any(o => kind == o || kind.StartsWith(o + ".", StringComparison.Ordinal));
}
