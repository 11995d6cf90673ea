using Microsoft.Extensions.AI;

namespace OCI.Models;

/// <summary>
/// Who waits for a request: the user (foreground: a command) or nobody yet (background: a fix-it). A backend that
/// decodes several requests at once (LLamaSharp) serves foreground work first in every decode step, so a command is
/// never queued behind a background fix-it.
/// </summary>
public enum ModelPriority
{
    Foreground,
    Background,
}

/// <summary>Carries <see cref="ModelPriority"/> in <see cref="ChatOptions.AdditionalProperties"/> (backends that cannot use it ignore it).</summary>
public static class ModelPriorityOptions
{
    public const string Key = "oci.priority";

    /// <summary>The options with the priority set (a copy; the original is unchanged).</summary>
    public static ChatOptions WithPriority(this ChatOptions options, ModelPriority priority)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.AdditionalProperties ??= [];
        copy.AdditionalProperties[Key] = priority.ToString();
        return copy;
    }

    public static ModelPriority PriorityOf(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true
        && Enum.TryParse<ModelPriority>(value?.ToString(), ignoreCase: true, out var priority)
            ? priority
            : ModelPriority.Foreground;
}
