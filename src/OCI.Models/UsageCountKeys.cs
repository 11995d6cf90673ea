namespace OCI.Models;

/// <summary>
/// Keys of the backend-neutral counts a chat client may add to <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/>
/// (LLamaSharp reports them; a server that cannot simply leaves them out). <see cref="ChatConversation"/> reads them.
/// </summary>
public static class UsageCountKeys
{
    /// <summary>Prompt tokens already in the conversation's KV cache, not evaluated again.</summary>
    public const string ReusedPrefixTokens = "oci.reused_prefix_tokens";

    /// <summary>Prompt tokens actually run through the model.</summary>
    public const string EvaluatedPromptTokens = "oci.evaluated_prompt_tokens";

    /// <summary>Earlier rounds left out of the prompt to fit the context.</summary>
    public const string DroppedRounds = "oci.dropped_rounds";
}
