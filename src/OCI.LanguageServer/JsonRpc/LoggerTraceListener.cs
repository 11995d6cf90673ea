using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OCI.LanguageServer.JsonRpc;

/// <summary>Routes StreamJsonRpc's TraceSource (warnings and errors) into our stderr logger.</summary>
internal sealed class LoggerTraceListener(ILogger logger) : TraceListener
{
    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? message) =>
        logger.Log(Level(eventType), "{Source}: {Message}", source, message);

    public override void TraceEvent(TraceEventCache? eventCache, string source, TraceEventType eventType, int id, string? format, params object?[]? args) =>
        logger.Log(Level(eventType), "{Source}: {Message}", source, args is { Length: > 0 } && format is not null ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format);

    public override void Write(string? message) => logger.LogDebug("{Message}", message);

    public override void WriteLine(string? message) => logger.LogDebug("{Message}", message);

    private static LogLevel Level(TraceEventType type) => type switch
    {
        TraceEventType.Critical or TraceEventType.Error => LogLevel.Error,
        TraceEventType.Warning => LogLevel.Warning,
        TraceEventType.Information => LogLevel.Debug,
        _ => LogLevel.Trace,
    };
}
