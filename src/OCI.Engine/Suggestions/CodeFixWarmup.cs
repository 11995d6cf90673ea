using Microsoft.Extensions.Logging;
using OCI.Workspace.CodeFixes;

namespace OCI.Engine.Suggestions;

/// <summary>
/// Discovers Roslyn's code fix providers (MEF, about a second of CPU cold) once, in the background, after the first
/// diagnostics: until then codeAction lists no Roslyn fix rather than block on the discovery.
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
    /// Runs the providers of a misspelt name once, in the background, on a copy of <paramref name="document"/> with one
    /// (never shown, never written): their first run builds caches (the symbol index of every referenced assembly that
    /// "add using" searches), about a second of CPU that the first typo's fix-it would otherwise wait for.
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
            var fixes = await RoslynCodeFixes.GetFixesAsync(probed, span, "CS0103", CancellationToken.None).ConfigureAwait(false);
            logger.LogDebug("Load timing: code fix providers warmed in {ElapsedMs} ms ({Count} fixes for a name that does not exist)", watch.ElapsedMilliseconds, fixes.Count);
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
