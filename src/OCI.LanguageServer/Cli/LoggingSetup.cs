using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OCI.LanguageServer.Cli;

/// <summary>Logging for every command: console logger, every level to stderr (stdout is the LSP channel or command output).</summary>
internal static class LoggingSetup
{
    public const string EnvironmentVariable = "OCI_LOG_LEVEL";

    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(level)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddFilter("Microsoft", LogLevel.Warning));

    /// <summary>--log-level wins, then OCI_LOG_LEVEL, then Information.</summary>
    public static LogLevel Resolve(string? option)
    {
        var text = option ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        return TryParse(text, out var level) ? level : LogLevel.Information;
    }

    public static bool TryParse(string? text, out LogLevel level)
    {
        level = LogLevel.Information;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "":
                return false;
            case "info":
                level = LogLevel.Information;
                return true;
            case "warn":
                level = LogLevel.Warning;
                return true;
            default:
                return Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);
        }
    }
}
