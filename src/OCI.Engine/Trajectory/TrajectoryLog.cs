using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using OCI.Models;

namespace OCI.Engine.Trajectory;

/// <summary>One message of a session, as in the Code-Feedback dataset (execution feedback is a user turn starting "Execution result:").</summary>
public sealed record TrajectoryMessage(string Role, string Content);

/// <summary>One refine session (schemas/trajectory.schema.json).</summary>
public sealed record TrajectoryEntry(
    string Id,
    DateTimeOffset Timestamp,
    string Task,
    string Model,
    bool Verified,
    int Rounds,
    IReadOnlyList<TrajectoryMessage> Messages)
{
    /// <summary>The model that answered, as the schema names it: the GGUF file name or the OpenAI model name (not the status line).</summary>
    public static string ModelName(ModelSettings model) => model.DisplayName() ?? model.Backend switch
    {
        ModelBackend.LlamaSharp => "llamaSharp",
        ModelBackend.OpenAI => model.Endpoint ?? "openAI",
        _ => "none",
    };

    public static TrajectoryEntry From(ChatConversation conversation, RefineKind kind, string model, bool verified, int rounds, DateTimeOffset timestamp) =>
        new(conversation.Id, timestamp, JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()), model, verified, rounds,
            [.. conversation.Messages.Select(m => new TrajectoryMessage(m.Role == ChatRole.System ? "system" : m.Role == ChatRole.Assistant ? "assistant" : "user", m.Text))]);
}

/// <summary>
/// The opt-in trajectory log: each refine session appended as one JSON line, so users can build their own fine-tuning
/// data from real sessions. (System.Text.Json here writes a file; the protocol's JSON stays in the server.)
/// </summary>
public static class TrajectoryLog
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize(TrajectoryEntry entry) => JsonSerializer.Serialize(entry, s_options);

    /// <summary>Appends <paramref name="entry"/>; a log that cannot be written is logged, never the task's failure.</summary>
    public static async Task TryAppendAsync(string path, TrajectoryEntry entry, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await AppendAsync(path, entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, e, "Could not append to the trajectory log {Path}", path);
        }
    }

    public static async Task AppendAsync(string path, TrajectoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var line = Serialize(entry) + "\n";
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(path, line, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            s_gate.Release();
        }
    }
}
