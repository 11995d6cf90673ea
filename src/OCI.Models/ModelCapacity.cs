using System.Globalization;
using Microsoft.Extensions.AI;
using OCI.Models.Llama;

namespace OCI.Models;

/// <summary>
/// What the in-process model can hold, in words for the status: the shared KV cache in use, and how many candidates
/// per round it sustains (a full-length prompt plus each candidate's reply, the prompt's cells shared by all).
/// </summary>
public static class ModelCapacity
{
    /// <summary>Most candidates per round the setting allows.</summary>
    public const int MaxCandidates = 16;

    /// <summary>Candidates of <c>oci.model.maxTokens</c> each that fit the KV cache beside a prompt that fills the rest of a context.</summary>
    public static int SustainedCandidates(ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var reply = Math.Max(1L, Math.Min(settings.MaxTokens, settings.ContextSize / 4));
        var prompt = Math.Max(0L, settings.ContextSize - reply);
        return (int)Math.Clamp((settings.EffectiveKvCacheSize() - prompt) / reply, 1, MaxCandidates);
    }

    /// <summary>" · KV cache 1.2 MiB of 64.0 MiB in use (…) · 4 candidates per round (the KV cache sustains 5)"; empty for other backends.</summary>
    public static string Describe(IChatClient? client, ModelSettings settings, int candidatesPerRound)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Backend != ModelBackend.LlamaSharp) return "";
        var sustained = SustainedCandidates(settings);
        var candidates = string.Create(CultureInfo.InvariantCulture,
            $" · {candidatesPerRound} candidate{(candidatesPerRound == 1 ? "" : "s")} per round (the KV cache sustains {sustained})");
        // Before the model is loaded there is no cache to report; the candidates are worth a word only when set.
        if (client?.GetService(typeof(LlamaSharpChatClient)) is not LlamaSharpChatClient llama) return candidatesPerRound > 1 ? candidates : "";
        var usage = llama.KvUsage;
        return string.Create(CultureInfo.InvariantCulture,
            $" · KV cache {MemoryEstimate.Format(usage.BytesInUse)} of {MemoryEstimate.Format(usage.Bytes)} in use ({usage.CellsInUse} of {usage.Cells} tokens, {usage.Sequences} sequences){candidates}");
    }
}
