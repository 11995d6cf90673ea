using LLama.Native;
using Microsoft.Extensions.Logging;

namespace OCI.Models.Llama;

/// <summary>
/// Configures LLamaSharp's native library exactly once per process, before the first native call (the configuration
/// locks as soon as llama.cpp is loaded), and logs which library and which CPU/GPU features were loaded. llama.cpp's
/// own log lines are routed to an <see cref="ILogger"/> (stderr), never to stdout, which is the LSP channel.
/// </summary>
public static class NativeLibrarySetup
{
    /// <summary>Names an explicit libllama to load instead of the one LLamaSharp would pick.</summary>
    public const string LibraryPathVariable = "OCI_LLAMA_LIBRARY";

    private static readonly Lock Gate = new();
    private static ILogger? s_nativeLogger;
    private static string? s_description;
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> RecentErrors = new();

    /// <summary>The backend this assembly was built against (-p:OciLlamaBackend=…).</summary>
    public static string BuildBackend =>
#if OCI_LLAMA_CUDA12
        "Cuda12";
#else
        "Cpu";
#endif

    /// <summary>A one-line description of the loaded native library and its features; null before the first load.</summary>
    public static string? LoadedLibraryDescription => s_description;

    /// <summary>Configures and loads the native library on the first call; later calls return at once.</summary>
    public static string EnsureLoaded(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        lock (Gate)
        {
            if (s_description is not null) return s_description;
            var logger = loggerFactory.CreateLogger("OCI.Models.LlamaNative");
            s_nativeLogger = logger;
            try
            {
                if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
                {
                    var config = NativeLibraryConfig.All
                        .WithLogCallback(ForwardNativeLog)
                        .WithCuda(BuildBackend == "Cuda12")
                        .WithAutoFallback(true);
                    if (Environment.GetEnvironmentVariable(LibraryPathVariable) is { Length: > 0 } libraryPath)
                    {
                        if (!File.Exists(libraryPath))
                        {
                            throw new ModelException($"{LibraryPathVariable} names {libraryPath}, which does not exist.");
                        }
                        NativeLibraryConfig.LLama.WithLibrary(libraryPath);
                    }
                    config.DryRun(out var llama, out _);
                    logger.LogInformation("LLamaSharp backend built for {Backend}; selected native library: {Library}",
                        BuildBackend, llama?.Metadata?.ToString() ?? "none found");
                }
                else
                {
                    logger.LogWarning("The llama.cpp native library was loaded before OCI configured it; its log goes to LLamaSharp's default");
                }
                // The first native call: loads the library.
                var systemInfo = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info()) ?? string.Empty;
                s_description = $"{BuildBackend} build; {systemInfo.Trim()}";
                logger.LogInformation("llama.cpp loaded: {SystemInfo}", s_description);
                return s_description;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or LLama.Exceptions.RuntimeError)
            {
                throw new ModelException(
                    $"The llama.cpp native library ({BuildBackend} backend) could not be loaded: {e.GetBaseException().Message}", e);
            }
        }
    }

    /// <summary>Takes llama.cpp's error lines logged since the last call (to explain a failed load in the error message).</summary>
    internal static IReadOnlyList<string> TakeRecentErrors()
    {
        var errors = new List<string>();
        while (RecentErrors.TryDequeue(out var line)) errors.Add(line);
        return errors;
    }

    private static void ForwardNativeLog(LLamaLogLevel level, string message)
    {
        var logger = s_nativeLogger;
        if (logger is null || string.IsNullOrWhiteSpace(message)) return;
        var text = message.TrimEnd('\n', '\r');
        switch (level)
        {
            case LLamaLogLevel.Error:
                RecentErrors.Enqueue(text);
                while (RecentErrors.Count > 8) RecentErrors.TryDequeue(out _);
                logger.LogError("{Native}", text);
                break;
            case LLamaLogLevel.Warning: logger.LogWarning("{Native}", text); break;
            case LLamaLogLevel.Info: logger.LogDebug("{Native}", text); break;
            default: logger.LogTrace("{Native}", text); break;
        }
    }
}
