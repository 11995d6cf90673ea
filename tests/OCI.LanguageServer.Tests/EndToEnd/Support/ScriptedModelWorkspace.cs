namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>
/// A class fixture: one real server process on a private copy of a fixture workspace, with the OpenAI-compatible
/// backend pointed at a loopback <see cref="ScriptedOpenAIServer"/> whose replies each test scripts through
/// <see cref="Model"/>. One process per test class keeps the suite's wall time down (load, restore and the first
/// build are paid once).
/// </summary>
public abstract class ScriptedModelWorkspace(string fixtureName) : IServedWorkspace
{
    public SwappableChatClient Model { get; } = new();

    public WorkspaceCopy Workspace { get; } = WorkspaceCopy.OfFixture(fixtureName);

    public ScriptedOpenAIServer? ModelServer { get; private set; }

    public EndToEndServer? Server { get; private set; }

    /// <summary>Section <c>oci.refine</c> of the server's settings.</summary>
    protected virtual JsonObject RefineSettings() => new() { ["maxRounds"] = 2 };

    public async Task InitializeAsync()
    {
        ModelServer = await ScriptedOpenAIServer.StartAsync(Model);
        Server = await EndToEndServer.StartAsync(Workspace, new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["backend"] = "openAI",
                ["endpoint"] = ModelServer.Endpoint,
                ["modelName"] = "scripted",
                ["maxRetries"] = 0,
                ["requestTimeoutSeconds"] = 60,
            },
            ["refine"] = RefineSettings(),
        });
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (ModelServer is not null)
        {
            await ModelServer.DisposeAsync();
        }
        Workspace.Dispose();
    }
}
