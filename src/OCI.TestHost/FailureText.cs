using Xunit.Abstractions;

namespace OCI.TestHost;

/// <summary>
/// Turns xunit's flattened exception chain (types, messages, stack traces, parent indices) into the message and stack
/// trace text the VSTest adapter writes to TRX, so both test paths give the model the same words.
/// </summary>
internal static class FailureText
{
    public static string Message(IFailureInformation failure) => failure.Messages.Length == 0 ? "" : MessageAt(failure, 0, 0);

    public static string? StackTrace(IFailureInformation failure)
    {
        if (failure.StackTraces.Length == 0) return null;
        var parts = new List<string>();
        AddStack(failure, 0, parts);
        var text = string.Join(Environment.NewLine, parts.Where(p => p.Length > 0));
        return text.Length == 0 ? null : text;
    }

    private static string MessageAt(IFailureInformation failure, int index, int level)
    {
        var prefix = level == 0 ? "" : new string('-', level * 4) + " ";
        var type = failure.ExceptionTypes.ElementAtOrDefault(index) ?? "";
        var typePart = type.StartsWith("Xunit.Sdk.", StringComparison.Ordinal) || type.Length == 0 ? "" : type + " : ";
        var text = prefix + typePart + (failure.Messages.ElementAtOrDefault(index) ?? "");
        for (var child = index + 1; child < failure.ExceptionParentIndices.Length; child++)
        {
            if (failure.ExceptionParentIndices[child] == index) text += Environment.NewLine + MessageAt(failure, child, level + 1);
        }
        return text;
    }

    private static void AddStack(IFailureInformation failure, int index, List<string> parts)
    {
        parts.Add(failure.StackTraces.ElementAtOrDefault(index)?.TrimEnd() ?? "");
        for (var child = index + 1; child < failure.ExceptionParentIndices.Length; child++)
        {
            if (failure.ExceptionParentIndices[child] != index) continue;
            parts.Add($"----- Inner Stack Trace #{child} ({failure.ExceptionTypes.ElementAtOrDefault(child)}) -----");
            AddStack(failure, child, parts);
        }
    }
}
