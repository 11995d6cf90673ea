using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace OCI.LanguageServer.Cli;

/// <summary>Options every command accepts.</summary>
internal static class CommonOptions
{
    public static Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = $"Log level on stderr: trace, debug, information, warning, error, critical, none (default: ${LoggingSetup.EnvironmentVariable} or information).",
        Recursive = true,
        Validators =
        {
            result =>
            {
                var value = result.GetValueOrDefault<string?>();
                if (value is not null && !LoggingSetup.TryParse(value, out _))
                {
                    result.AddError($"Unknown log level '{value}'.");
                }
            },
        },
    };

    public static LogLevel ResolveLogLevel(ParseResult parseResult) => LoggingSetup.Resolve(parseResult.GetValue(LogLevel));
}
