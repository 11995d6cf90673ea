using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OCI.Engine.Refine;
using OCI.Models;
using OCI.Testing;

namespace OCI.Engine.Tests.Support;

/// <summary>A <see cref="RefineEngine"/> over the in-memory test host, with an optional scripted model.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private EngineHarness(InMemoryWorkspaceHost host, RefineEngine engine, ScriptedChatClient? model)
    {
        Host = host;
        Engine = engine;
        Model = model;
    }

    public InMemoryWorkspaceHost Host { get; }

    public RefineEngine Engine { get; }

    public ScriptedChatClient? Model { get; }

    public List<RefineProgress> Progress { get; } = [];

    public static async Task<EngineHarness> StartAsync(ScriptedChatClient? model, InMemoryWorkspaceHost? host = null, Func<OciSettings, OciSettings>? configure = null)
    {
        host ??= Fixture.CreateHost();
        var engine = new RefineEngine(NullLoggerFactory.Instance, (_, _, _, _) => Task.FromResult<OCI.Workspace.IWorkspaceHost>(host), _ => model);
        var settings = new OciSettings
        {
            Model = model is null ? new ModelSettings() : new ModelSettings { Backend = ModelBackend.OpenAI, Endpoint = "http://scripted.invalid/v1", ModelName = "scripted" },
        };
        engine.UpdateSettings(configure is null ? settings : configure(settings));
        await engine.OpenWorkspaceAsync(host.Root, null, CancellationToken.None);
        return new EngineHarness(host, engine, model);
    }

    public Task<RefineOutcome> RunAsync(RefineKind kind, string path, LinePositionSpan range, string? instruction = null, string? diagnosticId = null, string? conversationId = null, CancellationToken cancellationToken = default) =>
        Engine.RunAsync(new RefineRequest(kind, path, range, instruction, diagnosticId, conversationId), new SynchronousProgress<RefineProgress>(Progress.Add), cancellationToken);

    /// <summary>The position of <paramref name="text"/> in a library file (its first occurrence).</summary>
    public LinePositionSpan RangeOf(string libraryFile, string text)
    {
        var source = SourceText.From(Host.GetText(Host.LibraryPath(libraryFile))!);
        var start = source.ToString().IndexOf(text, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{text}' not in {libraryFile}");
        return source.Lines.GetLinePositionSpan(new TextSpan(start, text.Length));
    }

    public static LinePositionSpan At(LinePositionSpan span) => new(span.Start, span.Start);

    /// <summary>The text of the last user turn of request <paramref name="index"/> the model received.</summary>
    public string UserTurn(int index) => Model!.Requests[index].Last(m => m.Role == ChatRole.User).Text;

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
