using OCI.Models;

namespace OCI.LanguageServer.Tests;

/// <summary>Settings from initializationOptions, the workspace/configuration pull and didChangeConfiguration.</summary>
public sealed class ConfigurationTests
{
    private static JsonObject LlamaSettings(string path, int maxRounds = 3) => new()
    {
        ["model"] = new JsonObject { ["backend"] = "llamaSharp", ["path"] = path, ["gpuLayers"] = 0 },
        ["refine"] = new JsonObject { ["maxRounds"] = maxRounds },
    };

    [Fact]
    public async Task Initialization_options_reach_the_status_of_the_real_server_process()
    {
        var folder = Directory.CreateTempSubdirectory("oci-status-");
        try
        {
            var model = Path.Combine(folder.FullName, "tiny.gguf");
            await File.WriteAllBytesAsync(model, "GGUF"u8.ToArray()); // the status checks that the file exists; loading is lazy
            await using var server = ServerProcess.Start();
            await server.Client.InitializeAsync(initializationOptions: LlamaSettings(model));
            var status = await server.Client.WaitForNotificationAsync("oci/status");
            Assert.Equal("ready", (string?)status["params"]!["state"]);
            Assert.Equal("llamaSharp", (string?)status["params"]!["backend"]);
            Assert.Equal("tiny.gguf", (string?)status["params"]!["model"]);
            Assert.Equal("tiny.gguf · LlamaSharp CPU", (string?)status["params"]!["message"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_GGUF_path_that_names_no_file_yields_an_error_status_naming_it()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(initializationOptions: LlamaSettings("/nonexistent/tiny.gguf"));
        var status = await server.Client.WaitForNotificationAsync("oci/status");
        Assert.Equal("error", (string?)status["params"]!["state"]);
        Assert.Equal("tiny.gguf", (string?)status["params"]!["model"]);
        Assert.Contains("Model file not found: /nonexistent/tiny.gguf", (string?)status["params"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_says_when_a_required_sandbox_is_unavailable_and_how_to_get_it()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(initializationOptions: new JsonObject
        {
            ["verification"] = new JsonObject { ["sandbox"] = "required", ["bubblewrapPath"] = "/nonexistent/oci-test/bwrap" },
        });
        var status = await server.Client.WaitForNotificationAsync("oci/status");
        Assert.Equal("refused", (string?)status["params"]!["sandbox"]);
        Assert.Contains("apt-get install bubblewrap", (string?)status["params"]!["sandboxMessage"], StringComparison.Ordinal);
        Assert.Contains("generated code will not run", (string?)status["params"]!["message"], StringComparison.Ordinal);
        Assert.Equal(OCI.Workspace.Processes.SandboxMode.Required, engine.SettingsUpdates.Last().Verification.Sandbox);
    }

    [Fact]
    public async Task Configuration_is_pulled_after_initialized_and_again_on_change()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        var settings = LlamaSettings("/models/a.gguf", maxRounds: 5);
        server.Client.ServerRequestHandler = (method, parameters) =>
        {
            Assert.Equal("workspace/configuration", method);
            Assert.Equal("oci", (string?)parameters!["items"]![0]!["section"]);
            return new JsonArray(settings.DeepClone());
        };
        await server.Client.InitializeAsync(new JsonObject { ["workspace"] = new JsonObject { ["configuration"] = true } },
            initializationOptions: new JsonObject { ["refine"] = new JsonObject { ["maxRounds"] = 2 } });

        var status = await server.Client.WaitForNotificationAsync("oci/status");
        Assert.Equal("a.gguf", (string?)status["params"]!["model"]);
        Assert.Equal([2, 5], engine.SettingsUpdates.Select(s => s.Refine.MaxRounds).ToList());
        Assert.Equal(ModelBackend.LlamaSharp, engine.SettingsUpdates.Last().Model.Backend);

        settings = new JsonObject { ["model"] = new JsonObject { ["backend"] = "OPENAI", ["endpoint"] = "http://127.0.0.1:8080/v1", ["modelName"] = "qwen" }, ["trace"] = new JsonObject { ["server"] = "off" } };
        await server.Client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = null });
        var changed = await server.Client.WaitForNotificationAsync("oci/status", m => (string?)m["params"]!["backend"] == "openAI");
        Assert.Equal("qwen", (string?)changed["params"]!["model"]);
        Assert.Equal(3, engine.SettingsUpdates.Last().Refine.MaxRounds); // a missing section means defaults
    }

    [Fact]
    public async Task Pushed_settings_apply_when_the_client_cannot_be_asked()
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync();
        await server.Client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["oci"] = LlamaSettings("/m/pushed.gguf") } });
        await server.Client.WaitForNotificationAsync("oci/status", m => (string?)m["params"]!["model"] == "pushed.gguf");
        Assert.Empty(server.Client.ServerRequests("workspace/configuration"));
    }

    [Theory]
    [InlineData("{\"model\":{\"backend\":\"gpt\"}}", "oci.model.backend")]
    [InlineData("{\"refine\":{\"maxRounds\":0}}", "oci.refine.maxRounds")]
    [InlineData("{\"verification\":{\"buildTimeoutSeconds\":\"soon\"}}", "oci.verification.buildTimeoutSeconds")]
    [InlineData("{\"model\":{\"backend\":\"llamaSharp\"}}", "oci.model.path")]
    [InlineData("{\"model\":{\"backend\":\"openAI\",\"endpoint\":\"ftp://host/v1\"}}", "oci.model.endpoint")]
    public async Task Invalid_settings_are_shown_and_the_previous_ones_kept(string invalid, string named)
    {
        var engine = new ScriptedRefineEngine();
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(initializationOptions: LlamaSettings("/m/good.gguf"));
        await server.Client.WaitForNotificationAsync("oci/status");

        await server.Client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["oci"] = JsonNode.Parse(invalid) } });
        var shown = await server.Client.WaitForNotificationAsync("window/showMessage");
        Assert.Equal(1, (int)shown["params"]!["type"]!);
        Assert.Contains(named, (string?)shown["params"]!["message"]);
        var last = Assert.Single(engine.SettingsUpdates);
        Assert.Equal("/m/good.gguf", last.Model.Path);
    }

    [Fact]
    public async Task An_engine_that_refuses_settings_yields_an_error_status()
    {
        var engine = new ScriptedRefineEngine { SettingsFailure = new InvalidOperationException("model file not found") };
        await using var server = new InProcessServer(engine);
        await server.Client.InitializeAsync(initializationOptions: LlamaSettings("/m/missing.gguf"));
        var status = await server.Client.WaitForNotificationAsync("oci/status");
        Assert.Equal("error", (string?)status["params"]!["state"]);
        Assert.Contains("model file not found", (string?)status["params"]!["message"]);
    }
}
