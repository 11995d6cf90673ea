namespace OCI.LanguageServer.Tests.EndToEnd.Support;

/// <summary>
/// A class fixture: one real server process on a private copy of a workspace, with the given <c>oci</c> settings
/// (and client capabilities); both are disposed together.
/// </summary>
public abstract class ServerOnWorkspace(WorkspaceCopy workspace, JsonObject settings, JsonObject? capabilities = null) : IServedWorkspace
{
    /// <summary>The settings of a server with no model: Roslyn's own fixes only.</summary>
    public static JsonObject WithoutModel() => new() { ["model"] = new JsonObject { ["backend"] = "none" } };

    public WorkspaceCopy Workspace { get; } = workspace;

    public EndToEndServer? Server { get; private set; }

    public async Task InitializeAsync() => Server = await EndToEndServer.StartAsync(Workspace, settings, capabilities);

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        Workspace.Dispose();
    }
}

/// <summary>A class fixture that serves a workspace copy with one real server process (MSBuild, builds, tests: slow).</summary>
public interface IServedWorkspace : IAsyncLifetime
{
    EndToEndServer? Server { get; }
}

/// <summary>A test class whose tests share one <typeparamref name="TFixture"/> (one server on one workspace copy).</summary>
public abstract class ServerOnWorkspaceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IServedWorkspace
{
    protected TFixture Fixture { get; } = fixture;

    protected EndToEndServer Server => Fixture.Server!;
}
