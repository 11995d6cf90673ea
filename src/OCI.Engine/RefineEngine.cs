using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using OCI.Engine.Refine;
using OCI.Workspace;

namespace OCI.Engine;

/// <summary>
/// The engine behind the server and the CLI. (Skeleton: the refine-engine work replaces these bodies; the server codes
/// against <see cref="IRefineEngine"/> and creates it with <see cref="Create"/>.)
/// </summary>
public sealed class RefineEngine : IRefineEngine
{
    private readonly ILoggerFactory _loggerFactory;
    private OciSettings _settings = new();

    private RefineEngine(ILoggerFactory loggerFactory) => _loggerFactory = loggerFactory;

    public static RefineEngine Create(ILoggerFactory loggerFactory) => new(loggerFactory);

    public string ModelStatus => _settings.Model.Backend == Models.ModelBackend.None ? "no model configured" : _settings.Model.Backend.ToString();

    public Task<WorkspaceLoadReport> OpenWorkspaceAsync(string root, IProgress<string>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(new WorkspaceLoadReport(root, [], []));

    public void UpdateSettings(OciSettings settings) => _settings = settings ?? throw new ArgumentNullException(nameof(settings));

    public void SetDocument(string path, string text) { }

    public void CloseDocument(string path) { }

    public Task<IReadOnlyList<ActionSuggestion>> SuggestActionsAsync(string path, LinePositionSpan range, IReadOnlyList<EditorDiagnostic> diagnostics, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActionSuggestion>>([]);

    public Task<RefineOutcome> RunAsync(RefineRequest request, IProgress<RefineProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(new RefineOutcome(false, "The refine engine is not implemented yet.", [], 0, RefineStopReason.NoModel));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
