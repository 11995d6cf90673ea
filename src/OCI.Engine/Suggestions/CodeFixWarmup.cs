using Microsoft.Extensions.Logging;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Discovers Roslyn's code fix providers (MEF, about a second of CPU cold) once, in the background, beside the open
/// documents' first diagnostics: until then codeAction lists no Roslyn fix rather than block on the discovery.
/// </summary>
internal sealed class CodeFixWarmup(ILogger logger)
{
    private readonly object _gate = new();
    private Task _warmup = Task.CompletedTask;
    private bool _started;

    public bool IsReady => _started && _warmup.IsCompletedSuccessfully;

    public void Start()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
            _warmup = Task.Run(() =>
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                CodeFixProviderCatalog.CanFix("CS0246");
                logger.LogDebug("Load timing: code fix catalog in {ElapsedMs} ms", watch.ElapsedMilliseconds);
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs the providers that search the referenced assemblies for a misspelt name once, in the background, on a copy of
    /// <paramref name="document"/> with one (never shown, never written): their first run builds the symbol index of every
    /// referenced assembly that "add using" searches, seconds of CPU that the first fix would otherwise wait for. Only
    /// those providers, and none of their actions applied: the rest builds nothing lasting and took the same cores.
    /// </summary>
    public void WarmProviders(Microsoft.CodeAnalysis.Document document) => _ = Task.Run(async () =>
    {
        try
        {
            await WaitAsync(CancellationToken.None).ConfigureAwait(false);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            const string Unknown = "OciCodeFixWarmUpUnknownName";
            const string Probe = "\ninternal static class OciCodeFixWarmUp\n{\n    private static object Probe() => " + Unknown + ";\n}\n";
            var text = await document.GetTextAsync().ConfigureAwait(false);
            var probed = document.WithText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0), Probe)));
            var span = new Microsoft.CodeAnalysis.Text.TextSpan(text.Length + Probe.IndexOf(Unknown, StringComparison.Ordinal), Unknown.Length);
            var offered = await RoslynCodeFixes.WarmNameSearchAsync(probed, span, "CS0103", CancellationToken.None).ConfigureAwait(false);
            logger.LogDebug("Load timing: code fix providers warmed in {ElapsedMs} ms ({Count} fixes for a name that does not exist)", watch.ElapsedMilliseconds, offered);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "The code fix providers were not warmed");
        }
    });

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Start();
        lock (_gate) return _warmup.WaitAsync(cancellationToken);
    }
}
